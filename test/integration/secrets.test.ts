import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlueskyAdapter } from '../../adapters/bluesky/index.ts';
import { createMastodonAdapter } from '../../adapters/mastodon/index.ts';
import type { AdapterSet } from '../../adapters/registry.ts';
import { createXAdapter } from '../../adapters/x/index.ts';
import { streams } from '../../db/schema/index.ts';
import { createSession } from '../../src/auth/sessions.ts';
import { pollStream } from '../../src/ingest/poller.ts';
import { createLogger } from '../../src/logger.ts';
import { scrub, setSecrets } from '../../src/scrub.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const SECRETS = {
  bearer: 'AAAAxBearerTokenThatMustNeverShow0001',
  appSecret: 'app-secret-that-must-never-show-0002',
  accessSecret: 'access-secret-never-show-0003',
  mastodon: 'mastodon-token-never-show-0004',
  bluesky: 'bsky-app-pass-never-show',
};

/** A broken upstream that answers every request with everything it was sent: headers, path and body. */
async function echoServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'upstream broke', detail: `you sent ${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

let h: Harness;
let echo: Awaited<ReturnType<typeof echoServer>>;
let logged = '';
let adapters: AdapterSet;

beforeAll(async () => {
  echo = await echoServer();
  adapters = {
    x: createXAdapter({
      bearerToken: SECRETS.bearer,
      user: { appKey: 'app-key-0001', appSecret: SECRETS.appSecret, accessToken: 'access-token-0001', accessSecret: SECRETS.accessSecret },
      brandUsername: 'VedraTel',
      baseUrl: echo.url,
      rateBudget: 1000,
      timeoutMs: 5_000,
      overlapMs: 120_000,
    }),
    mastodon: createMastodonAdapter({ baseUrl: echo.url, accessToken: SECRETS.mastodon, timeoutMs: 5_000, hashtags: [] }),
    bluesky: createBlueskyAdapter({ handle: 'vedra.example', appPassword: SECRETS.bluesky, service: echo.url, timeoutMs: 5_000 }),
  } as AdapterSet;
  h = await createHarness({ adapters: () => adapters });
  setSecrets(Object.values(SECRETS));
});
afterAll(async () => {
  setSecrets([]);
  await h.close();
  await new Promise((resolve) => echo.server.close(resolve));
});

describe('secrets never leave through error text', () => {
  it('an upstream that echoes the credentials back leaves none in the database, the API, the pages or the logs', async () => {
    const log = createLogger({
      level: 'debug',
      secrets: Object.values(SECRETS),
      destination: new Writable({
        write: (chunk, _e, done) => {
          logged += String(chunk);
          done();
        },
      }),
    });
    const rows = await h.deps.database.db
      .insert(streams)
      .values([
        { platform: 'x', name: 'mentions', config: { kind: 'mentions' } },
        { platform: 'mastodon', name: 'mentions', config: { kind: 'mentions' } },
        { platform: 'bluesky', name: 'notifications', config: { kind: 'notifications' } },
      ])
      .returning();
    const deps = { database: h.deps.database, adapters, rulebook: h.deps.rulebook, log, instanceId: 't', alertAfterMs: 0 };
    for (const s of rows) await pollStream(deps, s, new Date());

    const stored = await h.deps.database.db.select().from(streams);
    const failed = stored.filter((s) => s.platform !== 'replay');
    expect(failed.map((s) => s.lastError)).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
    const admin = await h.user('admin');
    const api = await (await h.request('GET', '/api/streams', { token: admin.token })).text();
    const alerts = await (await h.request('GET', '/api/alerts?status=open', { token: admin.token })).text();
    expect(alerts).toContain('has been failing since');
    const session = await createSession(h.deps.database, admin.id);
    const pages = await Promise.all(
      ['/streams', '/alerts'].map(async (path) => (await h.app.request(path, { headers: { cookie: `odziv_session=${session.token}` } })).text()),
    );
    expect(pages[0]).toContain('mastodon');
    const everything = [JSON.stringify(stored), api, alerts, ...pages, logged].join('\n');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(everything.includes(secret), name).toBe(false);
      expect(everything.includes(encodeURIComponent(secret)), name).toBe(false);
    }
    expect(everything).not.toMatch(/Bearer\s+AAAA/);
  });

  it('scrubs URL credentials, credential query values and token paths even when nobody configured them', () => {
    expect(scrub('POST https://hooks.slack.com/services/T0AB12CD/B0EF34GH/Xy9zAbCdEfGh1234IjKl: 404', [])).toBe(
      'POST https://hooks.slack.com/services/T0AB12CD/B0EF34GH/[redacted]: 404',
    );
    expect(scrub('connect smtps://odziv:hunter2@mail.example.com:465 failed', [])).toBe('connect smtps://[redacted]@mail.example.com:465 failed');
    expect(scrub('GET /api/v1/x?access_token=abcdef123456&limit=40', [])).toBe('GET /api/v1/x?access_token=[redacted]&limit=40');
    expect(scrub('{"authorization":"Bearer abcdefgh12345678"}', [])).toBe('{"authorization":"Bearer [redacted]"}');
    // What is not a credential stays readable: post URLs, numeric ids, ordinary words.
    const plain = 'timeout after 10000 ms at https://x.com/VedraTel/status/1864000000000000000 (rate limited)';
    expect(scrub(plain, [])).toBe(plain);
  });
});
