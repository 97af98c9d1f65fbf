import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { AdapterError, networkMessage } from '../errors.ts';
import type { Platform } from '../types.ts';

/**
 * The Graph API version odziv speaks, pinned here and nowhere else: Meta changes fields and
 * behaviour per version, and each version lives about two years. Move it on purpose, with the
 * fake's fixtures, never by accident.
 */
export const GRAPH_VERSION = 'v21.0';

/**
 * Graph through fetch, not the facebook-nodejs-business-sdk: that SDK is built for ads (tens of
 * MiB), hides the usage headers odziv paces by, and its errors lose the code and subcode odziv
 * decides by. The calls used here are plain GET/POST/DELETE with JSON answers.
 */
export interface GraphUsage {
  /** The highest share (0–100+) of any budget Meta reported on the last answer. */
  share: number;
  /** Meta's own "blocked for this long" (estimated_time_to_regain_access, minutes → ms). */
  regainInMs?: number;
}

export interface GraphAnswer<T> {
  body: T;
  usage: GraphUsage;
}

export interface GraphPage<T> {
  data: T[];
  /** Absent when this was the last page: the only sign of the end Meta gives (a short page is not). */
  next?: URL;
  usage: GraphUsage;
}

/** Meta's error body (developers.facebook.com/docs/graph-api/guides/error-handling). */
interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  is_transient?: boolean;
}

/** Codes for "the token is dead" (190: expired, password changed, app removed) and the permission errors. */
const TOKEN_CODES = new Set([190, 102]);
const PERMISSION = (code: number) => code === 10 || (code >= 200 && code <= 299);
/** App, user, Page, and business-use-case limits. */
const RATE_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006]);

/** The usage headers (X-App-Usage, X-Business-Use-Case-Usage, X-Page-Usage) as one figure. */
export function readUsage(headers: Headers): GraphUsage {
  let share = 0;
  let regain = 0;
  const take = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    for (const k of ['call_count', 'total_cputime', 'total_time', 'acc_id_util_pct']) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'number' && Number.isFinite(v)) share = Math.max(share, v);
    }
    const eta = (o as Record<string, unknown>).estimated_time_to_regain_access;
    if (typeof eta === 'number' && Number.isFinite(eta)) regain = Math.max(regain, eta);
  };
  for (const name of ['x-app-usage', 'x-page-usage', 'x-ad-account-usage']) {
    try {
      take(JSON.parse(headers.get(name) ?? 'null'));
    } catch {
      // A header that is not JSON says nothing about the budget.
    }
  }
  try {
    const buc = JSON.parse(headers.get('x-business-use-case-usage') ?? 'null') as Record<string, unknown> | null;
    for (const list of Object.values(buc ?? {})) for (const o of Array.isArray(list) ? list : []) take(o);
  } catch {
    // Idem.
  }
  return { share, ...(regain > 0 ? { regainInMs: regain * 60_000 } : {}) };
}

/** How long to wait before polling again after these answers: the default below 75 %, up to 15 min near 100 %. */
export function pauseForUsage(answers: readonly GraphUsage[]): number | undefined {
  const regain = Math.max(0, ...answers.map((u) => u.regainInMs ?? 0));
  if (regain) return regain;
  const share = Math.max(0, ...answers.map((u) => u.share));
  if (share < 75) return undefined;
  return Math.round(60_000 + ((Math.min(share, 100) - 75) / 25) * 14 * 60_000);
}

/** An edge's page as Graph answers it: `data`, and `paging.next` unless it is the last. */
const Edge = z.object({ data: z.array(z.unknown()), paging: z.object({ next: z.string().nullish() }).nullish() });

const GRAPH_CODE = Symbol('graph error code');

/** Graph's `error.code` of a refusal (a decision by code, never by message text), when it was one. */
export const graphCodeOf = (e: unknown): number | undefined =>
  e instanceof AdapterError ? (e as AdapterError & { [GRAPH_CODE]?: number })[GRAPH_CODE] : undefined;

export interface GraphOptions {
  platform: Platform;
  baseUrl: string;
  token: string;
  appSecret: string;
  timeoutMs: number;
  /** Names the variable to fix in a credentials error. */
  tokenVariable: string;
  now?: () => number;
}

export type Graph = ReturnType<typeof createGraph>;

export function createGraph(o: GraphOptions) {
  const now = o.now ?? Date.now;
  // appsecret_proof: a stolen token alone cannot call Graph as this app (Meta's recommended setting).
  const proof = createHmac('sha256', o.appSecret).update(o.token).digest('hex');
  const origin = new URL(o.baseUrl).origin;

  function toError(status: number, method: string, path: string, e: GraphErrorBody | undefined, text: string, headers: Headers): AdapterError {
    const code = e?.code ?? 0;
    const sub = e?.error_subcode;
    const said =
      `${method} ${path}: ${status} ${e?.type ?? ''}${code ? ` #${code}` : ''}${sub ? `/${sub}` : ''} ${(e?.message ?? text).slice(0, 300)}${e?.fbtrace_id ? ` (fbtrace_id ${e.fbtrace_id})` : ''}`.replace(
        /\s+/g,
        ' ',
      );
    const usage = readUsage(headers);
    const retryAfter = Number(headers.get('retry-after'));
    if (RATE_CODES.has(code) || status === 429) {
      const wait = usage.regainInMs ?? (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 5 * 60_000);
      return new AdapterError(o.platform, 'rate_limit', said, Math.max(1_000, wait));
    }
    if (TOKEN_CODES.has(code))
      return new AdapterError(
        o.platform,
        'credentials',
        `${o.tokenVariable} no longer works: ${said} (renew the Page token; see README "Facebook and Instagram")`,
      );
    if (PERMISSION(code)) return new AdapterError(o.platform, 'auth', `${said} (the Page token lacks a permission, or the Page role was lost)`);
    if (code === 100 && sub === 33) return new AdapterError(o.platform, 'not_found', said);
    if (status === 404) return new AdapterError(o.platform, 'not_found', said);
    if (code === 1 || code === 2 || e?.is_transient || status >= 500)
      return new AdapterError(
        o.platform,
        method === 'GET' ? 'server' : 'unknown_outcome',
        said,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    return Object.assign(new AdapterError(o.platform, 'invalid', said), { [GRAPH_CODE]: code });
  }

  async function call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    pathOrUrl: string | URL,
    schema: z.ZodType<T>,
    params: Record<string, string> = {},
  ): Promise<GraphAnswer<T>> {
    const url = typeof pathOrUrl === 'string' ? new URL(`${o.baseUrl}/${GRAPH_VERSION}${pathOrUrl}`) : new URL(pathOrUrl);
    // A `next` link is followed only to where odziv sends its token.
    if (url.origin !== origin) throw new AdapterError(o.platform, 'server', `Graph gave a link to ${url.origin}, not ${origin}: not followed`);
    const path = url.pathname.replace(`/${GRAPH_VERSION}`, '');
    url.searchParams.delete('access_token');
    const form = new URLSearchParams({ ...params, access_token: o.token, appsecret_proof: proof });
    if (method === 'GET') for (const [k, v] of form) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(method !== 'GET' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: method === 'GET' ? undefined : form.toString(),
        signal: AbortSignal.timeout(o.timeoutMs),
      });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      // A write whose connection broke may have been made: its outcome is unknown.
      throw new AdapterError(
        o.platform,
        method === 'GET' ? 'network' : 'unknown_outcome',
        `${method} ${path}: ${timedOut ? `no answer within ${o.timeoutMs} ms` : networkMessage(e)}`,
        undefined,
        { cause: e },
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const err = (json as { error?: GraphErrorBody } | undefined)?.error;
    if (!res.ok || err) throw toError(res.status, method, path, err, text, res.headers);
    if (json === undefined) throw new AdapterError(o.platform, method === 'GET' ? 'server' : 'unknown_outcome', `${method} ${path}: the answer is not JSON`);
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new AdapterError(
        o.platform,
        method === 'GET' ? 'server' : 'unknown_outcome',
        `${method} ${path}: unexpected answer (${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')})`,
      );
    const usage = readUsage(res.headers);
    // Meta's own "you are blocked for this long", even on a 200: stop before it answers 4/17/32.
    if (usage.regainInMs || usage.share >= 100)
      throw new AdapterError(o.platform, 'rate_limit', `${method} ${path}: Graph usage at ${usage.share} %`, Math.max(60_000, usage.regainInMs ?? 5 * 60_000));
    return { body: parsed.data, usage };
  }

  /** One page of an edge; the items are left raw, for the adapter to read one by one. */
  async function page(pathOrUrl: string | URL, params: Record<string, string> = {}): Promise<GraphPage<unknown>> {
    const { body, usage } = await call('GET', pathOrUrl, Edge, params);
    let next: URL | undefined;
    try {
      next = body.paging?.next ? new URL(body.paging.next) : undefined;
    } catch {
      throw new AdapterError(o.platform, 'server', `GET ${String(pathOrUrl)}: paging.next is not a URL`);
    }
    return { data: body.data, next, usage };
  }

  /**
   * An edge's items, page after page, until Graph gives no `next` (the only end it tells: a short
   * page is none), `enough` says the rest is known, or `maxPages` are read. Each page's usage is
   * added to `usage`. `shortEnd`: the last of several pages came back short (a dead cursor can do that).
   */
  async function readAll(
    pathOrUrl: string | URL,
    params: Record<string, string>,
    o2: { maxPages: number; usage: GraphUsage[]; enough?: (data: unknown[]) => boolean },
  ): Promise<{ items: unknown[]; complete: boolean; shortEnd: boolean }> {
    const items: unknown[] = [];
    let p = await page(pathOrUrl, params);
    for (let n = 1; ; n++) {
      o2.usage.push(p.usage);
      items.push(...p.data);
      if (!p.next) return { items, complete: true, shortEnd: n > 1 && p.data.length < Number(params.limit ?? 25) };
      if (o2.enough?.(p.data) || n >= o2.maxPages) return { items, complete: false, shortEnd: false };
      p = await page(p.next);
    }
  }

  return { call, page, readAll, now };
}
