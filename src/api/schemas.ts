import { z } from '@hono/zod-openapi';
import { LANGUAGES } from '../../rules/index.ts';

/** Schemas shared by several routes; each is also the route's TypeScript type and OpenAPI entry. */
export const ErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'BAD_REQUEST' }),
    message: z.string().openapi({ example: 'status: expected one of open, claimed, replied, resolved' }),
    requestId: z.string().nullable(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

export const errorResponses = (...statuses: Array<400 | 401 | 403 | 404 | 409 | 422>) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: {
          400: 'Bad input: the message names the field',
          401: 'No or invalid token',
          403: 'Role not allowed',
          404: 'Not found',
          409: 'Conflict with the current state',
          422: 'Understood but cannot be done',
        }[s],
        content: { 'application/json': { schema: ErrorSchema } },
      },
    ]),
  ) as Record<400 | 401 | 403 | 404 | 409 | 422, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;

export const IdParam = z.object({
  id: z.coerce
    .number({ error: 'expected a numeric id' })
    .int({ error: 'expected a numeric id' })
    .positive({ error: 'expected a numeric id' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'expected a numeric id' })
    .openapi({ param: { name: 'id', in: 'path' }, example: 42 }),
});

export const AnalysisSchema = z
  .object({
    language: z.enum(LANGUAGES),
    languageConfidence: z.number(),
    languageGuess: z
      .string()
      .optional()
      .openapi({ description: 'With language "other": the language it is written in, one odziv does not read (ISO 639-1, like "sl")', example: 'sl' }),
    sentiment: z.number().min(-1).max(1),
    negative: z.boolean(),
    complaint: z.number().min(0).max(1),
    isComplaint: z.boolean(),
    isQuestion: z.boolean(),
    categories: z.array(z.string()),
    evidence: z.record(z.string(), z.array(z.string())),
  })
  .openapi('Analysis');

/** Dates leave the API as ISO strings. */
export const DateTime = z.string().openapi({ format: 'date-time' });

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
