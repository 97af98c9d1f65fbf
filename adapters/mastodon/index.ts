import { z } from 'zod';
import { AdapterError, networkMessage } from '../errors.ts';
import { readCursor, unreadablePost } from '../reading.ts';
import type { EngagementMetrics, MetricsRead, NormalizedPost, PlatformAdapter, PollResult, ReplyTarget, SentReply, StreamRef } from '../types.ts';
import { Account, mastodonLength, metricsOf, Notification, normalizeStatus, Status } from './map.ts';
import { HASHTAG, type MastodonSettings } from './settings.ts';

export type { MastodonSettings } from './settings.ts';

/**
 * Mastodon through its REST API with fetch. Not masto.js: the adapter needs each response's
 * rate-limit headers and the page it reached (stored in the stream's cursor), which that client
 * keeps to itself; the four endpoints used here are small.
 */
const PAGE = 40;
/** Reads per engagement refresh when the server has no multi-status endpoint (before 4.3). */
const SINGLE_READS = 30;
const DEFAULT_MAX_CHARACTERS = 500;
/** How far a new stream reads back: the last 200 mentions, so a new install sees what is waiting. */
const BACKFILL_PAGES = 5;

/** What a stream watches: the brand account's mentions, or a hashtag's public timeline. */
const StreamConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mentions') }),
  z.object({ kind: z.literal('hashtag'), tag: z.string().regex(HASHTAG) }),
]);
const Cursor = z.object({ v: z.literal(1), since: z.string().min(1) });

interface Response<T> {
  body: T;
  rateLimit: { remaining?: number; resetAt?: Date };
  link: Map<string, URL>;
}

export interface MastodonAdapter extends PlatformAdapter {
  /** Checks the token at start-up; the brand account and the server's reply limit. */
  verify(): Promise<{ brandId: string; acct: string; maxCharacters: number }>;
}

/** RFC 8288 Link header: rel → URL. */
function parseLink(header: string | null): Map<string, URL> {
  const out = new Map<string, URL>();
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([a-z]+)"?/i.exec(part.trim());
    if (!m) continue;
    try {
      out.set(m[2]!.toLowerCase(), new URL(m[1]!));
    } catch {
      // A malformed link is no page to go to.
    }
  }
  return out;
}

export function createMastodonAdapter(s: MastodonSettings, opts: { now?: () => number } = {}): MastodonAdapter {
  const now = opts.now ?? Date.now;
  let brand: { id: string; acct: string } | undefined;
  let maxCharacters = DEFAULT_MAX_CHARACTERS;
  /** The first post of a reply's thread, by the reply's in_reply_to_id: one context read per thread. */
  const roots = new Map<string, string>();

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    o: { body?: unknown; idempotencyKey?: string; query?: URLSearchParams } = {},
  ): Promise<Response<T>> {
    const url = `${s.baseUrl}${path}${o.query && [...o.query].length ? `?${o.query}` : ''}`;
    let res: globalThis.Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${s.accessToken}`,
          accept: 'application/json',
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {}),
        },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(s.timeoutMs),
      });
    } catch (e) {
      // A post that timed out may have been made: the outbox must check before sending again.
      const timedOut = (e as Error).name === 'TimeoutError';
      // A post whose connection broke, by time-out or reset, may have been made: its outcome is unknown.
      throw new AdapterError(
        'mastodon',
        method === 'POST' ? 'unknown_outcome' : 'network',
        `${method} ${path}: ${timedOut ? `no answer within ${s.timeoutMs} ms` : networkMessage(e)}`,
        undefined,
        { cause: e },
      );
    }
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    const reset = new Date(res.headers.get('x-ratelimit-reset') ?? '');
    const rateLimit = {
      remaining: Number.isFinite(remaining) && res.headers.has('x-ratelimit-remaining') ? remaining : undefined,
      resetAt: Number.isNaN(reset.getTime()) ? undefined : reset,
    };
    const text = await res.text();
    if (!res.ok) {
      // Mastodon's errors are {"error": "…"} (docs.joinmastodon.org/entities/Error).
      let said = text.slice(0, 300);
      try {
        const e = JSON.parse(text) as { error?: unknown };
        if (typeof e.error === 'string') said = e.error.slice(0, 300);
      } catch {
        // Not JSON (a proxy's page): its first words will do.
      }
      const what = `${method} ${path}: ${res.status} ${said}`;
      if (res.status === 429) throw new AdapterError('mastodon', 'rate_limit', what, Math.max(1_000, (rateLimit.resetAt?.getTime() ?? now() + 60_000) - now()));
      if (res.status === 401 || res.status === 403) throw new AdapterError('mastodon', 'auth', what);
      if (res.status === 404 || res.status === 410) throw new AdapterError('mastodon', 'not_found', what);
      if (res.status >= 500) throw new AdapterError('mastodon', 'server', what);
      throw new AdapterError('mastodon', 'invalid', what);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AdapterError('mastodon', 'server', `${method} ${path}: the answer is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new AdapterError(
        'mastodon',
        'server',
        `${method} ${path}: unexpected answer (${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')})`,
      );
    return { body: parsed.data, rateLimit, link: parseLink(res.headers.get('link')) };
  }

  async function verify() {
    let me: Account;
    try {
      me = (await call('GET', '/api/v1/accounts/verify_credentials', Account)).body;
    } catch (e) {
      if (!(e instanceof AdapterError)) throw e;
      if (e.kind === 'auth')
        throw new AdapterError('mastodon', 'auth', `MASTODON_ACCESS_TOKEN was rejected by ${s.baseUrl} (${e.message})`, undefined, { cause: e });
      if (e.kind === 'not_found' || e.kind === 'invalid')
        throw new AdapterError('mastodon', e.kind, `MASTODON_URL: ${s.baseUrl} does not answer as a Mastodon server (${e.message})`, undefined, { cause: e });
      throw e;
    }
    brand = { id: me.id, acct: me.acct };
    try {
      const instance = await call(
        'GET',
        '/api/v2/instance',
        z.object({ configuration: z.object({ statuses: z.object({ max_characters: z.number().int().positive() }) }) }),
      );
      maxCharacters = instance.body.configuration.statuses.max_characters;
    } catch {
      // Older servers: Mastodon's default limit.
    }
    return { brandId: me.id, acct: me.acct, maxCharacters };
  }

  const ensureBrand = async () => {
    if (!brand) await verify();
    return brand!;
  };

  /** A reply joins its thread's case: the thread's first post is its conversation. */
  async function conversationOf(status: Status): Promise<string> {
    const parent = status.in_reply_to_id;
    if (!parent) return status.id;
    const known = roots.get(parent);
    if (known) return known;
    try {
      const ctx = await call('GET', `/api/v1/statuses/${encodeURIComponent(parent)}/context`, z.object({ ancestors: z.array(z.object({ id: z.string() })) }));
      const root = ctx.body.ancestors[0]?.id ?? parent;
      roots.set(parent, root);
      return root;
    } catch (e) {
      if (e instanceof AdapterError && (e.kind === 'not_found' || e.kind === 'auth')) return parent;
      throw e;
    }
  }

  return {
    platform: 'mastodon',
    get maxReplyLength() {
      return maxCharacters;
    },
    replyLength: mastodonLength,
    verify,

    async poll(stream: StreamRef, cursor: string | null): Promise<PollResult> {
      const cfg = StreamConfig.safeParse(stream.config);
      if (!cfg.success)
        throw new AdapterError(
          'mastodon',
          'invalid',
          `stream "${stream.name}": expected {"kind": "mentions"} or {"kind": "hashtag", "tag": "…"} (letters, digits, _)`,
        );
      const mentions = cfg.data.kind === 'mentions';
      const since = cursor === null ? undefined : readCursor('mastodon', stream.name, cursor, Cursor).since;
      const me = await ensureBrand();
      // Items are read one by one: one notification of a shape odziv does not know must not stall the stream.
      // Mentions arrive as notifications; a hashtag's posts as statuses of its timeline. Both page alike.
      const path = cfg.data.kind === 'hashtag' ? `/api/v1/timelines/tag/${encodeURIComponent(cfg.data.tag)}` : '/api/v1/notifications';
      const read = (extra: Array<[string, string]>) =>
        call('GET', path, z.array(z.unknown()), {
          query: new URLSearchParams([...(mentions ? [['types[]', 'mention'] as [string, string]] : []), ['limit', String(PAGE)], ...extra]),
        });
      const idOf = (item: unknown) => (typeof (item as { id?: unknown } | null)?.id === 'string' ? (item as { id: string }).id : undefined);
      // Later polls: min_id, the page right after what was read, so nothing between two polls is
      // skipped. The first: the recent mentions, newest page first, back along the "next" links.
      const page = await read(since ? [['min_id', since]] : []);
      const items = [...page.body];
      for (let back = page, n = 1; !since && back.body.length === PAGE && n < BACKFILL_PAGES; n++) {
        const maxId = back.link.get('next')?.searchParams.get('max_id') ?? idOf(back.body.at(-1));
        if (!maxId) break;
        back = await read([['max_id', maxId]]);
        items.push(...back.body);
      }
      const newest = page.link.get('prev')?.searchParams.get('min_id') ?? idOf(page.body[0]) ?? since;
      const posts: NormalizedPost[] = [];
      for (const item of items) {
        const n = mentions ? Notification.safeParse(item) : { success: true as const, data: { type: 'mention', status: item } };
        if (n.success && n.data.type !== 'mention') continue;
        const status = Status.safeParse(n.success ? n.data.status : undefined);
        // The brand's own posts with its hashtag are its own: stored as such, never flagged.
        if (n.success && status.success && !status.data.reblog) {
          posts.push(normalizeStatus(status.data, me.id, await conversationOf(status.data)));
          continue;
        }
        if (n.success && status.success) continue; // a boost: the post is someone else's, already in its author's words
        // What does not read as a post is set aside by ingest (audit log, post.rejected) with its payload.
        const raw = n.success ? n.data.status : item;
        posts.push(unreadablePost('mastodon', raw, idOf(raw) ?? idOf(item)));
      }
      const { remaining, resetAt } = page.rateLimit;
      const starved = remaining !== undefined && remaining < 5 && resetAt && resetAt.getTime() > now();
      return {
        posts: posts.reverse(),
        cursor: newest ? JSON.stringify({ v: 1, since: newest }) : cursor,
        more: !!since && page.body.length === PAGE && !starved,
        rateLimit: page.rateLimit,
        ...(starved ? { nextPollInMs: resetAt.getTime() - now() } : {}),
      };
    },

    async reply(target: ReplyTarget, text: string, idempotencyKey: string, o: { mayHaveBeenSent?: boolean } = {}): Promise<SentReply> {
      const me = await ensureBrand();
      const original = (await call('GET', `/api/v1/statuses/${encodeURIComponent(target.platformPostId)}`, Status)).body;
      // Mastodon remembers an Idempotency-Key for an hour; past that, look in the thread first.
      if (o.mayHaveBeenSent) {
        const ctx = await call('GET', `/api/v1/statuses/${encodeURIComponent(target.platformPostId)}/context`, z.object({ descendants: z.array(z.unknown()) }));
        const replies = ctx.body.descendants
          .map((d) => Status.safeParse(d))
          .filter((d) => d.success)
          .map((d) => d.data);
        const earlier = replies.find((d) => d.account.id === me.id && d.in_reply_to_id === target.platformPostId);
        if (earlier) return { platformReplyId: earlier.id, url: earlier.url ?? undefined };
      }
      // Addressed to the customer, or they are not told; as private as the post they wrote.
      const acct = original.account.acct;
      const addressed = new RegExp(`(^|\\s)@${acct.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w@])`, 'i').test(text) ? text : `@${acct} ${text}`;
      const sent = await call('POST', '/api/v1/statuses', Status, {
        body: { status: addressed, in_reply_to_id: target.platformPostId, visibility: original.visibility },
        idempotencyKey,
      });
      return { platformReplyId: sent.body.id, url: sent.body.url ?? undefined };
    },

    async refreshMetrics(platformPostIds: string[]): Promise<MetricsRead> {
      const metrics = new Map<string, EngagementMetrics>();
      const gone: string[] = [];
      // Mastodon 4.3+: up to 20 statuses a request; a status not returned is deleted or hidden.
      try {
        for (let i = 0; i < platformPostIds.length; i += 20) {
          const ids = platformPostIds.slice(i, i + 20);
          const got = await call('GET', '/api/v1/statuses', z.array(z.unknown()), {
            query: new URLSearchParams(ids.map((id): [string, string] => ['id[]', id])),
          });
          // One odd status does not cost the others their numbers, nor is it taken for deleted.
          for (const raw of got.body) {
            const st = Status.safeParse(raw);
            if (st.success) metrics.set(st.data.id, metricsOf(st.data));
          }
          const named = new Set(got.body.map((x) => (x as { id?: unknown } | null)?.id));
          for (const id of ids) if (!named.has(id)) gone.push(id);
        }
        return { metrics, gone };
      } catch (e) {
        if (!(e instanceof AdapterError && e.kind === 'not_found') || metrics.size) throw e;
      }
      // Older servers: one status a request, a few per run; the rest wait for the next run.
      for (const id of platformPostIds.slice(0, SINGLE_READS)) {
        try {
          metrics.set(id, metricsOf((await call('GET', `/api/v1/statuses/${encodeURIComponent(id)}`, Status)).body));
        } catch (e) {
          if (e instanceof AdapterError && e.kind === 'not_found') gone.push(id);
          else throw e;
        }
      }
      return { metrics, gone };
    },
  };
}
