import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { PLATFORMS } from '../../../adapters/types.ts';
import { CASE_STATUSES } from '../../../db/schema/index.ts';
import { LANGUAGES } from '../../../rules/index.ts';
import type { Deps } from '../../deps.ts';
import { claimCase, getCase, listCases } from '../../queue/cases.ts';
import { channelCapabilities } from '../../queue/channel.ts';
import { requestModeration } from '../../queue/moderation.ts';
import { createReply } from '../../queue/replies.ts';
import { signature } from '../../queue/templates.ts';
import { currentUser, requirePermission } from '../auth.ts';
import { router } from '../router.ts';
import { body, DateTime, errorResponses, IdParam, json } from '../schemas.ts';
import { jsonify } from '../serialize.ts';

const CaseSummary = z
  .object({
    id: z.number(),
    status: z.enum(CASE_STATUSES),
    priority: z.number(),
    priorityExplained: z.string().openapi({ example: 'priority 87 = complaint 37 + reach 9 + churn 15 + rules +15' }),
    priorityComponents: z.record(z.string(), z.number()),
    category: z.string().nullable(),
    reason: z.string(),
    team: z.string(),
    assigneeId: z.number().nullable(),
    dueAt: DateTime,
    createdAt: DateTime,
    firstResponseAt: DateTime.nullable(),
    falseAlarm: z.boolean().openapi({ description: 'resolved by a person who said the post needed no one' }),
    post: z.object({
      id: z.number(),
      platform: z.string(),
      platformPostId: z.string(),
      url: z.string().nullable(),
      text: z.string(),
      postedAt: DateTime,
      goneAt: DateTime.nullable().openapi({ description: 'when the platform said the post is gone (deleted, or hidden from the brand)' }),
    }),
    author: z.object({ handle: z.string(), displayName: z.string().nullable(), followers: z.number().nullable(), verified: z.boolean() }),
    language: z.string().nullable(),
    languageGuess: z.string().nullable().openapi({ description: 'With language "other": the language it is written in, one odziv does not read (ISO 639-1)' }),
    sentiment: z.number().nullable(),
    complaint: z.number().nullable(),
    evidence: z.record(z.string(), z.array(z.string())).nullable().openapi({ description: 'The words behind the analysis, by category' }),
  })
  .openapi('CaseSummary');

const CaseList = z.object({ cases: z.array(CaseSummary), nextCursor: z.string().nullable() }).openapi('CaseList');

const ListQuery = z.object({
  status: z.enum(CASE_STATUSES, { error: `expected one of ${CASE_STATUSES.join(', ')}` }).optional(),
  language: z.enum(LANGUAGES, { error: `expected one of ${LANGUAGES.join(', ')}` }).optional(),
  platform: z.enum(PLATFORMS, { error: `expected one of ${PLATFORMS.join(', ')}` }).optional(),
  team: z.string().min(1).max(60).optional(),
  category: z.string().min(1).max(40).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()], { error: 'expected "me", "none" or a user id' }).optional(),
  sla: z.enum(['breached', 'due_soon', 'ok'], { error: 'expected breached, due_soon or ok' }).optional(),
  minPriority: z.coerce
    .number({ error: 'expected a number from 0 to 100' })
    .int()
    .min(0, { error: 'expected a number from 0 to 100' })
    .max(100, { error: 'expected a number from 0 to 100' })
    .optional(),
  limit: z.coerce
    .number({ error: 'expected a number from 1 to 200' })
    .int({ error: 'expected a number from 1 to 200' })
    .min(1, { error: 'expected a number from 1 to 200' })
    .max(200, { error: 'expected a number from 1 to 200' })
    .default(50),
  cursor: z.string().max(200, { error: 'not a cursor this API returned' }).optional(),
  q: z.string().trim().min(1, { error: 'expected words or a handle to look for' }).max(200, { error: 'at most 200 characters' }).optional(),
});

const ReplySchema = z
  .object({
    id: z.number(),
    status: z.enum(['pending', 'sending', 'sent', 'failed', 'dead']),
    text: z.string(),
    platformReplyId: z.string().nullable(),
    url: z.string().nullable(),
    attempts: z.number(),
    lastError: z.string().nullable(),
    private: z.boolean().openapi({ description: 'sent to the customer privately (Meta private replies), not under their post' }),
    createdAt: DateTime,
    sentAt: DateTime.nullable(),
  })
  .openapi('Reply');

const ModerationSchema = z
  .object({
    id: z.number(),
    action: z.enum(['hide', 'unhide', 'delete']),
    reason: z.string(),
    rule: z.string().nullable(),
    status: z.string(),
    lastError: z.string().nullable(),
    createdAt: DateTime,
    doneAt: DateTime.nullable(),
    by: z.string().nullable(),
  })
  .openapi('Moderation');

const CaseDetail = z
  .object({
    id: z.number(),
    status: z.enum(CASE_STATUSES),
    priority: z.number(),
    priorityExplained: z.string(),
    priorityComponents: z.record(z.string(), z.number()),
    category: z.string().nullable(),
    reason: z.string(),
    team: z.string(),
    assignee: z.object({ id: z.number(), name: z.string() }).nullable(),
    dueAt: DateTime,
    firstResponseAt: DateTime.nullable(),
    resolvedAt: DateTime.nullable(),
    falseAlarm: z.boolean().openapi({ description: 'resolved by a person who said the post needed no one' }),
    createdAt: DateTime,
    post: z.record(z.string(), z.unknown()),
    author: z.record(z.string(), z.unknown()),
    analysis: z.record(z.string(), z.unknown()).nullable(),
    thread: z.array(z.object({ id: z.number(), platformPostId: z.string(), text: z.string(), postedAt: DateTime, isOwn: z.boolean(), handle: z.string() })),
    earlierCases: z.array(
      z.object({ id: z.number(), status: z.string(), category: z.string().nullable(), reason: z.string(), createdAt: DateTime, text: z.string() }),
    ),
    notes: z.array(z.object({ id: z.number(), text: z.string(), createdAt: DateTime, userId: z.number().nullable(), author: z.string().nullable() })),
    history: z.array(
      z.object({
        at: DateTime,
        action: z.string(),
        actorUserId: z.number().nullable(),
        actor: z.string().nullable(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    notices: z.array(z.object({ id: z.number(), kind: z.string(), title: z.string(), body: z.string(), endsAt: DateTime.nullable() })),
    viewers: z
      .array(z.object({ userId: z.number(), name: z.string(), seenAt: DateTime }))
      .openapi({ description: 'Others who had this case open in the last two minutes' }),
    templates: z
      .array(z.object({ id: z.string(), text: z.string(), suggestedByRules: z.boolean() }))
      .openapi({ description: 'Reply templates filled for this case: a starting point, never posted by odziv' }),
    flags: z.array(
      z.object({
        id: z.number(),
        pack: z.string(),
        ruleId: z.string(),
        category: z.string().nullable(),
        reason: z.string(),
        evidence: z.array(z.string()),
        createdAt: DateTime,
      }),
    ),
    replies: z.array(ReplySchema.extend({ userId: z.number().nullable() })),
    moderations: z.array(ModerationSchema).openapi({ description: 'Hides, unhides and deletes of the post on its platform, by a person or a rule, and why' }),
    channel: z
      .object({ moderation: z.array(z.enum(['hide', 'unhide', 'delete'])), privateReplyUntil: DateTime.nullable(), privateReplyOpen: z.boolean() })
      .openapi({ description: 'What the channel allows beyond a public reply: moderation, and a private reply until when' }),
  })
  .openapi('CaseDetail');

const list = createRoute({
  method: 'get',
  path: '/api/cases',
  tags: ['cases'],
  summary: 'Cases by priority, highest first (keyset pagination with `cursor`)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.read')] as const,
  request: { query: ListQuery },
  responses: { 200: json(CaseList, 'A page of cases'), ...errorResponses(400, 401, 403) },
});

const detail = createRoute({
  method: 'get',
  path: '/api/cases/{id}',
  tags: ['cases'],
  summary: 'One case with its post, analysis, flags with evidence, and replies',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.read')] as const,
  request: { params: IdParam },
  responses: { 200: json(CaseDetail, 'The case'), ...errorResponses(400, 401, 403, 404) },
});

const claim = createRoute({
  method: 'post',
  path: '/api/cases/{id}/claim',
  tags: ['cases'],
  summary: 'Claim a case (atomic: two people can never both hold it)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.work')] as const,
  request: { params: IdParam },
  responses: {
    200: json(z.object({ id: z.number(), status: z.enum(CASE_STATUSES), assigneeId: z.number().nullable(), claimedAt: DateTime.nullable() }), 'Claimed'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const ReplyRequest = z
  .object({
    text: z
      .string({ error: 'expected the reply text as a string' })
      .trim()
      .min(1, { error: 'expected non-empty text' })
      .max(5_000, { error: 'at most 5,000 characters' }),
    private: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .openapi({ description: "send to the customer privately where the channel allows (see the case's `channel`)" }),
  })
  .openapi('ReplyRequest');

const moderate = createRoute({
  method: 'post',
  path: '/api/cases/{id}/moderation',
  tags: ['cases'],
  summary: "Hide, show again or delete the customer's post on its platform, with the reason (community managers; queued, audited)",
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.moderate')] as const,
  request: {
    params: IdParam,
    body: body(
      z
        .object({
          action: z.enum(['hide', 'unhide', 'delete'], { error: 'expected hide, unhide or delete' }),
          reason: z
            .string({ error: 'expected the reason as a string' })
            .trim()
            .min(1, { error: 'say why (the case history keeps it)' })
            .max(500, { error: 'at most 500 characters' }),
        })
        .openapi('ModerationRequest'),
    ),
  },
  responses: {
    202: json(z.object({ moderation: ModerationSchema.omit({ by: true }), replayed: z.boolean() }), 'Queued for the platform'),
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

const reply = createRoute({
  method: 'post',
  path: '/api/cases/{id}/replies',
  tags: ['cases'],
  summary: 'Queue a public reply on the channel the customer used (idempotent per Idempotency-Key)',
  security: [{ Bearer: [] }],
  middleware: [requirePermission('cases.work')] as const,
  request: {
    params: IdParam,
    headers: z.object({ 'idempotency-key': z.string().min(1, { error: 'expected a non-empty key' }).max(200, { error: 'at most 200 characters' }).optional() }),
    body: body(ReplyRequest),
  },
  responses: {
    202: json(z.object({ reply: ReplySchema, replayed: z.literal(false) }), 'Queued for delivery'),
    200: json(z.object({ reply: ReplySchema, replayed: z.literal(true) }), 'The same Idempotency-Key was seen before: the first intent, not a new reply'),
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

export function caseRoutes(deps: Deps) {
  return router()
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const assignee = q.assignee === 'me' ? currentUser(c).id : q.assignee;
      return c.json(jsonify(await listCases(deps.database, { ...q, assignee })), 200);
    })
    .openapi(detail, async (c) => {
      const got = await getCase(deps.database, c.req.valid('param').id, {
        templates: deps.templates,
        responderName: currentUser(c).name,
        userId: currentUser(c).id,
      });
      return c.json(jsonify({ ...got, channel: channelCapabilities(deps.adapters, got.post.platform, got.post.postedAt) }), 200);
    })
    .openapi(moderate, async (c) => {
      const { action, reason } = c.req.valid('json');
      const { moderation: m, replayed } = await requestModeration(deps.database, deps.adapters, {
        caseId: c.req.valid('param').id,
        actor: currentUser(c),
        action,
        reason,
      });
      const { postId: _p, caseId: _c, platform: _pl, userId: _u, attempts: _a, availableAt: _av, ...out } = m;
      return c.json({ moderation: jsonify(out), replayed }, 202);
    })
    .openapi(claim, async (c) => c.json(jsonify(await claimCase(deps.database, c.req.valid('param').id, currentUser(c))), 200))
    .openapi(reply, async (c) => {
      const key = c.req.valid('header')['idempotency-key'] ?? randomUUID();
      const { reply: r, replayed } = await createReply(deps.database, deps.adapters, {
        caseId: c.req.valid('param').id,
        actor: currentUser(c),
        text: c.req.valid('json').text,
        private: c.req.valid('json').private,
        idempotencyKey: key,
        signature: signature(deps.config.ODZIV_SIGNATURE, currentUser(c).name),
      });
      const { caseId: _c, userId: _u, platform: _p, idempotencyKey: _k, availableAt: _a, lockedUntil: _l, ...out } = r;
      return replayed ? c.json({ reply: jsonify(out), replayed: true as const }, 200) : c.json({ reply: jsonify(out), replayed: false as const }, 202);
    });
}
