import { createRoute, z } from '@hono/zod-openapi';
import { CASE_STATUSES } from '../../../db/schema/index.ts';
import { EscalationNote, TeamName } from '../../auth/teams.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { BulkInput, bulkAct, MAX_BULK } from '../../queue/bulk.ts';
import { addNote, assignCase, escalateCase, MAX_NOTE_LENGTH, nextCase, resolveCase, snoozeCase } from '../../queue/lifecycle.ts';
import { retryReply } from '../../queue/replies.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, DateTime, errorResponses, IdParam, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const CaseState = z
  .object({
    id: z.number(),
    status: z.enum(CASE_STATUSES),
    team: z.string(),
    assigneeId: z.number().nullable(),
    snoozedUntil: DateTime.nullable(),
    dueAt: DateTime,
    resolvedAt: DateTime.nullable(),
    falseAlarm: z.boolean(),
  })
  .openapi('CaseState');
const state = (c: {
  id: number;
  status: (typeof CASE_STATUSES)[number];
  team: string;
  assigneeId: number | null;
  snoozedUntil: Date | null;
  dueAt: Date;
  resolvedAt: Date | null;
  falseAlarm: boolean;
}) =>
  jsonify({
    id: c.id,
    status: c.status,
    team: c.team,
    assigneeId: c.assigneeId,
    snoozedUntil: c.snoozedUntil,
    dueAt: c.dueAt,
    resolvedAt: c.resolvedAt,
    falseAlarm: c.falseAlarm,
  });

const actionResponses = { 200: json(CaseState, 'The case after the change'), ...errorResponses(400, 401, 403, 404, 409, 422) };
const common = { method: 'post' as const, tags: ['cases'], security: [{ Bearer: [] }] };

const resolve = createRoute({
  ...common,
  path: '/api/cases/{id}/resolve',
  summary: 'Resolve a case; `falseAlarm: true` says the post needed no one (counted per rule, replayed by backtests)',
  middleware: [requirePermission('cases.work')] as const,
  request: {
    params: IdParam,
    body: {
      required: false,
      content: {
        'application/json': { schema: z.object({ falseAlarm: z.boolean({ error: 'expected true or false' }).optional() }).openapi('ResolveRequest') },
      },
    },
  },
  responses: actionResponses,
});
const snooze = createRoute({
  ...common,
  path: '/api/cases/{id}/snooze',
  summary: 'Snooze until a time, or until the customer writes again (no `until`)',
  middleware: [requirePermission('cases.work')] as const,
  request: {
    params: IdParam,
    body: body(z.object({ until: z.iso.datetime({ error: 'expected an ISO date-time such as 2026-11-23T09:00:00Z' }).optional() }).openapi('SnoozeRequest')),
  },
  responses: actionResponses,
});
const escalate = createRoute({
  ...common,
  path: '/api/cases/{id}/escalate',
  summary: 'Hand the case to another team, with a note',
  middleware: [requirePermission('cases.work')] as const,
  request: {
    params: IdParam,
    body: body(z.object({ team: TeamName, note: EscalationNote }).openapi('EscalateRequest')),
  },
  responses: actionResponses,
});
const assign = createRoute({
  ...common,
  path: '/api/cases/{id}/assign',
  summary: 'Assign or reassign a case (community managers)',
  middleware: [requirePermission('cases.manage')] as const,
  request: {
    params: IdParam,
    body: body(z.object({ assigneeId: z.number({ error: 'expected a user id' }).int().positive({ error: 'expected a user id' }) }).openapi('AssignRequest')),
  },
  responses: actionResponses,
});

const NoteSchema = z.object({ id: z.number(), caseId: z.number(), text: z.string(), userId: z.number().nullable(), createdAt: DateTime }).openapi('Note');
const note = createRoute({
  method: 'post',
  path: '/api/cases/{id}/notes',
  tags: ['cases'],
  summary: 'Add an internal note (never posted)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.note')] as const,
  request: {
    params: IdParam,
    body: body(
      z
        .object({
          text: z
            .string({ error: 'expected the note text' })
            .trim()
            .min(1, { error: 'expected the note text' })
            .max(MAX_NOTE_LENGTH, { error: `at most ${MAX_NOTE_LENGTH.toLocaleString('en')} characters` }),
        })
        .openapi('NoteRequest'),
    ),
  },
  responses: { 201: json(NoteSchema, 'The note'), ...errorResponses(400, 401, 403, 404) },
});

const retry = createRoute({
  method: 'post',
  path: '/api/cases/{id}/replies/{replyId}/retry',
  tags: ['cases'],
  summary: 'Send a failed or dead-lettered reply again',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.work')] as const,
  request: {
    params: IdParam.extend({
      replyId: z.coerce
        .number({ error: 'expected a numeric id' })
        .int()
        .positive({ error: 'expected a numeric id' })
        .openapi({ param: { name: 'replyId', in: 'path' } }),
    }),
  },
  responses: { 200: json(z.object({ id: z.number(), status: z.string() }), 'Queued again'), ...errorResponses(400, 401, 403, 404, 409) },
});

const next = createRoute({
  method: 'post',
  path: '/api/cases/next',
  tags: ['cases'],
  summary: 'Claim the top waiting case of my teams',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.work')] as const,
  responses: { 200: json(CaseState, 'The case now held'), 204: { description: 'Nothing is waiting' }, ...errorResponses(401, 403) },
});

const BulkResultSchema = z
  .object({ id: z.number(), ok: z.boolean(), status: z.string().optional(), code: z.string().optional(), message: z.string().optional() })
  .openapi('BulkResult');

const bulk = createRoute({
  ...common,
  path: '/api/cases/bulk',
  summary: `One action for up to ${MAX_BULK} cases (resolve, false_alarm, escalate, assign, snooze); each case by the rules of one, with its own result`,
  middleware: [requirePermission('cases.work')] as const,
  request: { body: body(BulkInput.openapi('BulkRequest')) },
  responses: {
    200: json(z.object({ done: z.number(), refused: z.number(), results: z.array(BulkResultSchema) }), 'What happened to each case'),
    ...errorResponses(400, 401, 403),
  },
});

export function caseActionRoutes(deps: Deps) {
  return router()
    .openapi(bulk, async (c) => {
      const results = await bulkAct(deps.database, currentUser(c), c.req.valid('json'));
      return c.json({ done: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length, results }, 200);
    })
    .openapi(next, async (c) => {
      const got = await nextCase(deps.database, currentUser(c));
      return got ? c.json(state(got), 200) : c.body(null, 204);
    })
    .openapi(resolve, async (c) =>
      c.json(state(await resolveCase(deps.database, c.req.valid('param').id, currentUser(c), { falseAlarm: c.req.valid('json')?.falseAlarm })), 200),
    )
    .openapi(snooze, async (c) => {
      const { until } = c.req.valid('json');
      return c.json(state(await snoozeCase(deps.database, c.req.valid('param').id, currentUser(c), until ? new Date(until) : null)), 200);
    })
    .openapi(escalate, async (c) => {
      const { team, note: text } = c.req.valid('json');
      return c.json(state(await escalateCase(deps.database, c.req.valid('param').id, currentUser(c), team, text)), 200);
    })
    .openapi(assign, async (c) => c.json(state(await assignCase(deps.database, c.req.valid('param').id, currentUser(c), c.req.valid('json').assigneeId)), 200))
    .openapi(note, async (c) => c.json(jsonify(await addNote(deps.database, c.req.valid('param').id, currentUser(c), c.req.valid('json').text)), 201))
    .openapi(retry, async (c) => {
      const { id, replyId } = c.req.valid('param');
      const r = await retryReply(deps.database, id, replyId, currentUser(c));
      if (!r) throw new AppError('NOT_FOUND', 'reply not found');
      return c.json({ id: r.id, status: r.status }, 200);
    });
}
