import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBluesky } from './bluesky-server.ts';
import { FakeMastodon } from './mastodon-server.ts';
import { FakeX } from './x-server.ts';

/**
 * Each fake answers in the shape of its platform's documented examples, kept as JSON beside it
 * (`x/`, `mastodon/`, `bluesky/`; `graph/` is the Graph fake's own templates): every field of the
 * example is in the fake's answer, with the same JSON type, in every element of a list.
 */
const example = (path: string): unknown => {
  const { $source: _source, ...body } = JSON.parse(readFileSync(join(import.meta.dirname, path), 'utf8')) as Record<string, unknown>;
  return body;
};

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Where `actual` lacks a field of `expected`, or has it with another JSON type. */
function missing(expected: unknown, actual: unknown, at = '$'): string[] {
  if (kind(expected) !== kind(actual)) return [`${at}: expected ${kind(expected)}, got ${kind(actual)}`];
  if (Array.isArray(expected)) {
    const items = actual as unknown[];
    if (expected.length && !items.length) return [`${at}: expected items, got none`];
    return expected.length ? items.flatMap((item, i) => missing(expected[0], item, `${at}[${i}]`)) : [];
  }
  if (kind(expected) !== 'object') return [];
  const got = actual as Record<string, unknown>;
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => (k in got ? missing(v, got[k], `${at}.${k}`) : [`${at}.${k}: missing`]));
}

async function answer(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('the fakes answer as the platforms document', () => {
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('notices a field the fake does not serve (the check itself)', () => {
    expect(missing({ a: [{ b: 1, c: 'x' }], d: null }, { a: [{ b: 2 }, { b: 'three', c: 'y' }], d: null })).toEqual([
      '$.a[0].c: missing',
      '$.a[1].b: expected number, got string',
    ]);
  });

  it('X: a mentions page with its authors and meta, a created post, a 429 and a partial error', async () => {
    const x = await new FakeX({ bearerToken: 'AAAAAAAAAAAAAAAAAAAAAshapes', appKey: 'shape-key', accessToken: '1-shape-token' }).listen();
    closing.push(() => x.close());
    x.addUser({ id: '1', username: 'VedraTel', name: 'Vedra', verified: true });
    x.addUser({ id: '100', username: 'ana_k', name: 'Ana' });
    for (let i = 0; i < 6; i++) x.addTweet({ text: `@VedraTel the bill is wrong again (${i})`, author_id: '100' });
    const bearer = { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAshapes' };
    const fields = 'tweet.fields=created_at,public_metrics,author_id,conversation_id&expansions=author_id&user.fields=username,verified,public_metrics';
    const page = await answer(`${x.url}/2/users/1/mentions?max_results=5&${fields}`, { headers: bearer });
    expect(page.status).toBe(200);
    expect(missing(example('x/mentions.json'), page.body)).toEqual([]);

    const oauth = {
      authorization: 'OAuth oauth_consumer_key="shape-key", oauth_token="1-shape-token", oauth_signature="x"',
      'content-type': 'application/json',
    };
    const posted = await answer(`${x.url}/2/tweets`, {
      method: 'POST',
      headers: oauth,
      body: JSON.stringify({ text: '@ana_k We are checking your bill today. – Iva' }),
    });
    expect(posted.status).toBe(201);
    expect(missing(example('x/create-tweet.json'), posted.body)).toEqual([]);

    const lookup = await answer(`${x.url}/2/tweets?ids=1865000000000000009`, { headers: bearer });
    expect(missing(example('x/error-not-found.json'), lookup.body)).toEqual([]);

    x.faults.push('429');
    const limited = await fetch(`${x.url}/2/users/1/mentions?${fields}`, { headers: bearer });
    expect(limited.status).toBe(429);
    expect(['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'].filter((h) => !limited.headers.has(h))).toEqual([]);
    expect(missing(example('x/error-rate-limit.json'), await limited.json())).toEqual([]);
  });

  it('Mastodon: a mention notification with its status and account, and an error', async () => {
    const m = await new FakeMastodon('mastodon-shapes-token-000001').listen();
    closing.push(() => m.close());
    const ana = m.addAccount('ana', 'Ana');
    m.addStatus(
      ana,
      '<p><span class="h-card"><a href="https://social.example/@vedra" class="u-url mention">@<span>vedra</span></a></span> račun je opet pogrešan</p>',
    );
    const list = await answer(`${m.url}/api/v1/notifications?types[]=mention`, { headers: { authorization: 'Bearer mastodon-shapes-token-000001' } });
    expect(list.status).toBe(200);
    expect(missing([example('mastodon/notification.json')], list.body)).toEqual([]);
    const refused = await answer(`${m.url}/api/v1/notifications`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(refused.status).toBe(401);
    expect(missing(example('mastodon/error.json'), refused.body)).toEqual([]);
  });

  it('Bluesky: a page of notifications with its cursor, and an error', async () => {
    const b = await new FakeBluesky('shap-esxx-0000-0001').listen();
    closing.push(() => b.close());
    for (let i = 0; i < 2; i++) b.addPost(b.author('ana'), `@${b.brand.handle} račun je opet pogrešan (${i})`);
    const session = (
      await answer(`${b.url}/xrpc/com.atproto.server.createSession`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: b.brand.handle, password: 'shap-esxx-0000-0001' }),
      })
    ).body as { accessJwt: string };
    const page = await answer(`${b.url}/xrpc/app.bsky.notification.listNotifications?limit=1`, { headers: { authorization: `Bearer ${session.accessJwt}` } });
    expect(page.status).toBe(200);
    expect(missing(example('bluesky/list-notifications.json'), page.body)).toEqual([]);
    const refused = await answer(`${b.url}/xrpc/app.bsky.notification.listNotifications`, { headers: { authorization: 'Bearer expired' } });
    expect(refused.status).toBe(400);
    expect(missing(example('bluesky/error.json'), refused.body)).toEqual([]);
  });
});
