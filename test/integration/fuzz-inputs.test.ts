import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { count, isNull } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { createFacebookAdapter } from '../../adapters/facebook/index.ts';
import { createInstagramAdapter } from '../../adapters/instagram/index.ts';
import { PLATFORM_MODULES } from '../../adapters/registry.ts';
import { createXAdapter } from '../../adapters/x/index.ts';
import { posts, webhookDeliveries } from '../../db/schema/index.ts';
import { analyzeDetailed } from '../../rules/analyze/index.ts';
import { evaluate } from '../../rules/engine/evaluate.ts';
import { formatPackError, loadPackText } from '../../rules/engine/loader.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { processDeliveries } from '../../src/ingest/webhook-inbox.ts';
import { FakeGraph } from '../fakes/graph-server.ts';
import { FakeX } from '../fakes/x-server.ts';
import { createHarness, type Harness, silentLog } from '../helpers/harness.ts';
import { mutate, mutation } from '../helpers/mutate.ts';
import { postFacts } from '../helpers/post-facts.ts';

/**
 * The inputs that do not come through the API's request bodies, fuzzed with fast-check from
 * well-formed documents (fixed seed, printed on failure so a run can be replayed): signed webhook
 * deliveries of every platform that pushes, rule packs, and the configuration. Each either is taken
 * or is refused with a message that names what is wrong; nothing answers 5xx, throws past its
 * caller or is left half-worked.
 */
const SEED = 20261205;
/** Messages of a JavaScript fault rather than of a check: they must never reach a person. */
const FAULT = /Cannot read|Cannot set|is not a function|is not iterable|is not defined|Maximum call stack|undefined \(reading/;

const fixture = (name: string) => {
  const { $source: _, ...doc } = JSON.parse(readFileSync(`test/fakes/graph/${name}`, 'utf8')) as Record<string, unknown>;
  return doc;
};

describe('fuzzed webhook deliveries, signed as each platform signs them', () => {
  const X_SECRET = 'fuzz-app-secret';
  const META_SECRET = 'abcdef0123456789abcdef0123456789';
  let h: Harness;
  let x: FakeX;
  let g: FakeGraph;

  beforeAll(async () => {
    x = await new FakeX({ bearerToken: 'AAAAAAAAAAAAAAAAAAAAAfuzz', appKey: 'fuzz-key', accessToken: '1-fuzz' }).listen();
    x.addUser({ id: '1', username: 'VedraTel' });
    g = await new FakeGraph('EAAGfuzzPageToken', META_SECRET).listen();
    const meta = {
      pageId: g.pageId,
      pageToken: 'EAAGfuzzPageToken',
      appSecret: META_SECRET,
      verifyToken: 'fuzz-verify',
      igUserId: g.igUserId,
      baseUrl: g.url,
      timeoutMs: 2_000,
      lookbackMs: 86_400_000,
      pollIntervalMs: 60_000,
    };
    h = await createHarness({
      adapters: () => ({
        x: createXAdapter({
          bearerToken: 'AAAAAAAAAAAAAAAAAAAAAfuzz',
          user: { appKey: 'fuzz-key', appSecret: X_SECRET, accessToken: '1-fuzz', accessSecret: 'fuzz-access-secret' },
          brandUsername: 'VedraTel',
          baseUrl: x.url,
          rateBudget: 100_000,
          timeoutMs: 2_000,
          overlapMs: 120_000,
        }),
        facebook: createFacebookAdapter(meta),
        instagram: createInstagramAdapter(meta),
      }),
    });
  });
  afterAll(async () => {
    await h?.close();
    await x?.close();
    await g?.close();
  });

  /** The brand's post the comments are under (Graph ids are `<page>_<post>`). */
  const postId = '104000000000001_1';
  const documents = () => ({
    x: {
      for_user_id: '1',
      tweet_create_events: [
        {
          id_str: '9001',
          text: '@VedraTel internet &amp; TV ne rade od jutra, sramota!',
          created_at: 'Wed Nov 18 10:00:00 +0000 2026',
          in_reply_to_status_id_str: null,
          favorite_count: 1,
          edit_history: { initial_tweet_id: '9001', edit_tweet_ids: ['9001'] },
          user: { id_str: '77', screen_name: 'ana_h', name: 'Ana', followers_count: 1200, verified: false },
        },
      ],
      tweet_delete_events: [{ status: { id: '8999', user_id: '77' }, timestamp_ms: '1764583200000' }],
    },
    facebook: (() => {
      const d = fixture('page-feed-comment.json');
      return JSON.parse(
        JSON.stringify(d)
          .replaceAll('{page_id}', g.pageId)
          .replaceAll('{post_id}', postId)
          .replaceAll('{comment_id}', '1_55')
          .replaceAll('{parent_id}', postId)
          .replaceAll('{user_id}', '61550000000001')
          .replaceAll('{user_name}', 'Ana Kovač')
          .replaceAll('{message}', 'Dva dana bez interneta, nitko se ne javlja!'),
      ) as unknown;
    })(),
    instagram: JSON.parse(
      JSON.stringify(fixture('instagram-comment.json'))
        .replaceAll('{ig_user_id}', g.igUserId)
        .replaceAll('{user_id}', '17841499999999')
        .replaceAll('{username}', 'ana.kovac')
        .replaceAll('{media_id}', '17900000000000001')
        .replaceAll('{comment_id}', '17950000000000001')
        .replaceAll('{message}', 'Kad će više riješiti ovo?'),
    ) as unknown,
  });
  const sign = (platform: string, body: string) =>
    platform === 'x'
      ? { 'x-twitter-webhooks-signature': `sha256=${createHmac('sha256', X_SECRET).update(body).digest('base64')}` }
      : { 'x-hub-signature-256': `sha256=${createHmac('sha256', META_SECRET).update(body).digest('hex')}` };

  it('1,500 mutated deliveries: no 5xx, every refusal names the field, and every kept delivery is stored or refused with its reason', async () => {
    const docs = documents();
    const problems: string[] = [];
    const taken = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('x', 'facebook', 'instagram'),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('signed', 'signed', 'signed', 'unsigned', 'resigned-other-body'),
        async (platform, mutations, signing) => {
          const body = JSON.stringify(mutate(docs[platform as keyof typeof docs], mutations)) ?? 'null';
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (signing === 'signed') Object.assign(headers, sign(platform, body));
          if (signing === 'resigned-other-body') Object.assign(headers, sign(platform, `${body} `));
          const res = await h.app.request(`/webhooks/${platform}`, { method: 'POST', headers, body });
          const text = await res.text();
          const what = `${platform} [${signing}] ${body.slice(0, 160)} → ${res.status} ${text.slice(0, 200)}`;
          if (res.status >= 500 && res.status !== 503) problems.push(what);
          if (res.ok) taken.set(platform, (taken.get(platform) ?? 0) + 1);
          if (signing !== 'signed') expect(res.status, what).toBe(401);
          if (res.status >= 400) {
            const e = JSON.parse(text) as { code?: string; message?: string; requestId?: string };
            expect(e.code, what).toEqual(expect.any(String));
            expect(e.requestId, what).toEqual(expect.any(String));
            expect(e.message, what).toMatch(/:/);
            expect(e.message, what).not.toMatch(FAULT);
          }
          expect(problems, problems.join('\n')).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 1500, endOnFailure: true },
    );
    // The mutations must leave many deliveries well-formed enough to reach storage, or this tests only the first check.
    for (const platform of ['x', 'facebook', 'instagram']) expect(taken.get(platform) ?? 0, platform).toBeGreaterThan(50);
    // Meta's are answered first and worked after: each must end stored (gone from the inbox) or refused with a reason.
    const inbox = { database: h.deps.database, adapters: h.deps.adapters, rulebook: h.deps.rulebook, log: silentLog };
    while ((await processDeliveries(inbox, { limit: 200 })) > 0);
    const left = await h.deps.database.db.select().from(webhookDeliveries).where(isNull(webhookDeliveries.refusedAt));
    expect(left.map((d) => `${d.platform} ${d.lastError} ${JSON.stringify(d.body).slice(0, 160)}`)).toEqual([]);
    const refused = await h.deps.database.db.select().from(webhookDeliveries);
    const [stored] = await h.deps.database.db.select({ n: count() }).from(posts);
    expect(stored!.n).toBeGreaterThan(0);
    for (const d of refused) {
      expect(d.lastError, JSON.stringify(d.body).slice(0, 200)).toMatch(/:/);
      expect(d.lastError, JSON.stringify(d.body).slice(0, 200)).not.toMatch(FAULT);
    }
  });

  it('fuzzed subscription checks are answered 200, 400 or 403, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('x', 'facebook', 'instagram', 'mastodon', 'nope'),
        fc.array(fc.tuple(fc.constantFrom('crc_token', 'hub.mode', 'hub.challenge', 'hub.verify_token', 'x'), fc.string({ maxLength: 60 })), { maxLength: 4 }),
        async (platform, q) => {
          const res = await h.app.request(`/webhooks/${platform}?${new URLSearchParams(q)}`);
          const what = `${platform}?${new URLSearchParams(q)} → ${res.status}`;
          expect([200, 400, 403, 404], what).toContain(res.status);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('fuzzed rule packs', () => {
  const defaultPack = parseYaml(readFileSync('rules/packs/default.yaml', 'utf8')) as unknown;
  const texts = ['Otkazujem ugovor, prelazim kod konkurencije!', 'Internet opet ne radi od jutra', 'Hvala, sve radi.', 'Мој рачун је погрешан', ''];

  it('2,000 mutated packs are each compiled or refused with errors that name the rule and field; a compiled one judges every post', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.constantFrom('yaml', 'json'), (mutations, format) => {
        const doc = mutate(defaultPack, mutations);
        const text = format === 'yaml' ? toYaml(doc) : (JSON.stringify(doc) ?? '');
        let result: ReturnType<typeof loadPackText>;
        try {
          result = loadPackText(text, `fuzz.${format}`);
        } catch (e) {
          throw new Error(`loadPackText threw on ${text.slice(0, 300)}: ${(e as Error).stack}`);
        }
        if (!result.pack) {
          expect(result.errors.length, text.slice(0, 300)).toBeGreaterThan(0);
          for (const e of result.errors) {
            const line = formatPackError(e);
            expect(line, text.slice(0, 300)).toMatch(/^fuzz\.(yaml|json): .+/);
            expect(e.message, line).toMatch(/\S/);
            expect(e.message, line).not.toMatch(FAULT);
          }
          return;
        }
        for (const t of texts) {
          const out = evaluate([result.pack], analyzeDetailed(t), postFacts({ text: t }));
          expect(out.priority, t).toBeGreaterThanOrEqual(0);
          expect(out.priority, t).toBeLessThanOrEqual(100);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('random text is refused as a pack with a message, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.constantFrom('rules: [', '- - -', '&a [*a]', 'pack: x\nrules: !!js/function "f"', '\t\tpack:', '{"rules": 1}'),
        ),
        (text) => {
          const result = loadPackText(text, 'fuzz.yaml');
          if (!result.pack) for (const e of result.errors) expect(formatPackError(e)).toMatch(/^fuzz\.yaml: .+/);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('fuzzed configuration', () => {
  const keys = [
    ...new Set([
      'PORT',
      'HOST',
      'DATABASE_URL',
      'DATABASE_POOL_SIZE',
      'DATABASE_PREPARE',
      'LOG_LEVEL',
      'ODZIV_ADMIN_EMAIL',
      'ODZIV_ADMIN_PASSWORD',
      'ODZIV_POLL_CRON',
      'ODZIV_DIGEST_CRON',
      'ODZIV_REPLAY',
      'ODZIV_REPLAY_SPEED',
      'ODZIV_BUSINESS_HOURS',
      'ODZIV_TIME_ZONE',
      'ALERT_QUIET_HOURS',
      'ODZIV_PUBLIC_URL',
      'ALERT_WEBHOOK_URL',
      'ALERT_SIGNED_WEBHOOK_URL',
      'ALERT_WEBHOOK_SECRET',
      'SMTP_URL',
      'ALERT_EMAIL_CM',
      'ODZIV_RETENTION_DAYS',
      'ODZIV_ROLE',
      'ODZIV_TRUST_PROXY',
      ...Object.values(PLATFORM_MODULES).flatMap((m) => (m ? Object.keys(m.env) : [])),
    ]),
  ];
  /** A value no message could contain by chance: if one says it, the value was echoed. */
  const MARK = 'Zq9echo';
  const value = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `${MARK}${s}`),
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `smtp://u:${MARK}${encodeURIComponent(s)}@`),
    fc.constantFrom(
      '0',
      '-1',
      '99999999',
      '1e400',
      'NaN',
      'on',
      'true',
      'https://',
      'http://[::1',
      'smtp://a:b%zz@host',
      'postgres://u:p@/db',
      '* * *',
      '60 * * * * *',
      'Mon-Fri 25:00-08:00',
      'Mars/Olympus',
      '22:00-07:00',
      '::1,loopback,300.1.1.1',
      'a'.repeat(5000),
    ),
  );

  it('2,000 environments are each taken or refused naming every wrong variable, without echoing a secret', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }), (env) => {
        const full = { ODZIV_DATA_DIR: '/nonexistent/odziv-fuzz', ...env };
        try {
          loadConfig(full);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw new Error(`loadConfig threw ${(e as Error).stack} for ${JSON.stringify(env).slice(0, 300)}`);
          expect(e.problems.length).toBeGreaterThan(0);
          for (const p of e.problems) {
            const name = p.split(':')[0]!;
            expect(keys, `${p} (for ${JSON.stringify(env).slice(0, 300)})`).toContain(name);
            expect(p, p).not.toMatch(FAULT);
          }
          for (const [k, v] of Object.entries(env))
            if (/PASSWORD|SECRET|TOKEN|SMTP_URL|DATABASE_URL|WEBHOOK_URL/.test(k) && v.includes(MARK)) expect(e.message, k).not.toContain(MARK);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
