import { createRoute, z } from '@hono/zod-openapi';
import { PLATFORMS } from '../../../adapters/types.ts';
import type { Deps } from '../../deps.ts';
import { eraseAuthor } from '../../privacy/erase.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, errorResponses, json } from '../schemas.ts';

const ErasureRequest = z
  .object({
    platform: z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` }),
    handle: z
      .string({ error: 'expected the customer’s handle' })
      .trim()
      .min(1, { error: 'expected the customer’s handle' })
      .max(100, { error: 'at most 100 characters' })
      .optional(),
    platformUserId: z
      .string({ error: 'expected the platform’s id of the account, as a string' })
      .trim()
      .min(1, { error: 'expected the platform’s id of the account' })
      .max(100, { error: 'at most 100 characters' })
      .optional(),
  })
  .refine((v) => v.handle !== undefined || v.platformUserId !== undefined, { error: 'name the customer: handle, or platformUserId' })
  .openapi('ErasureRequest');

const Erasure = z.object({ authorId: z.number(), pseudonym: z.string(), posts: z.number(), cases: z.number() }).openapi('Erasure');

const erase = createRoute({
  method: 'post',
  path: '/api/privacy/erasures',
  tags: ['admin'],
  summary: 'Erase a customer’s data at their request (admins): their posts’ words, handle and name, wherever odziv keeps them',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('customers.erase')] as const,
  request: { body: body(ErasureRequest) },
  responses: { 200: json(Erasure, 'Erased; the pseudonym is what odziv calls them from now on'), ...errorResponses(400, 401, 403, 404, 409) },
});

export function privacyRoutes(deps: Deps) {
  return router().openapi(erase, async (c) => {
    return c.json(await eraseAuthor(deps.database, c.req.valid('json'), currentUser(c)), 200);
  });
}
