/**
 * `npm run bench:explain -- --out docs/performance-plans.md`: EXPLAIN (ANALYZE, BUFFERS) of every
 * statement odziv sends on its hot paths, at the size the database holds (seed it first:
 * bench:seed): the queue's pages, filters and searches, a case's detail, next case, a batch of
 * ingest, and one run of every background job. Each operation runs once as odziv runs it, with
 * its statements captured; each statement is then explained in a transaction that is rolled back,
 * so an INSERT explained writes nothing. DATABASE_URL selects PostgreSQL, else PGlite in --data-dir.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { type SQL, sql } from 'drizzle-orm';
import type { AdapterSet } from '../adapters/registry.ts';
import type { ChannelSet } from '../src/alerts/channels/registry.ts';
import { loadConfig } from '../src/config.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { createLogger } from '../src/logger.ts';
import { getCase, listCases } from '../src/queue/cases.ts';
import { nextCase } from '../src/queue/lifecycle.ts';
import { loadTemplates } from '../src/queue/templates.ts';
import { Rulebook } from '../src/rulebook.ts';
import { backgroundJobs } from '../src/scheduler/jobs.ts';
import { benchDatabase, options, say, standInPlatform } from './lib.ts';
import { defaultPacks, incomingPosts } from './seed.ts';

class Rollback extends Error {}

/** A captured statement back as drizzle SQL: its text with each $n bound to its parameter. */
function bound(query: string, params: unknown[]): SQL {
  const parts: SQL[] = [];
  let at = 0;
  for (const m of query.matchAll(/\$(\d+)/g)) {
    parts.push(sql.raw(query.slice(at, m.index)));
    parts.push(sql`${params[Number(m[1]) - 1]}`);
    at = m.index + m[0].length;
  }
  parts.push(sql.raw(query.slice(at)));
  return sql.join(parts, sql``);
}

async function main(): Promise<void> {
  const opts = options();
  const bench = await benchDatabase(opts);
  const { database } = bench;
  const log = createLogger({ level: 'silent' });
  const out: string[] = [];
  const [{ posts, open }] = (await database.rows<{ posts: number | string; open: number | string }>(
    sql`select (select count(*) from posts) as posts, (select count(*) from cases where status <> 'resolved') as open`,
  )) as [{ posts: number; open: number }];
  out.push(
    `# Query plans at ${Number(posts).toLocaleString('en')} posts and ${Number(open).toLocaleString('en')} unresolved cases`,
    '',
    `Made by \`npm run bench:explain\` on ${database.kind} (${new Date().toISOString().slice(0, 10)}). Each operation ran once as odziv runs it; every statement it sent is explained below, in order (repeats once).`,
    '',
  );

  const explain = async (name: string, run: () => Promise<unknown>) => {
    bench.captured.length = 0;
    bench.capture(true);
    try {
      await run();
    } finally {
      bench.capture(false);
    }
    const seen = new Set<string>();
    out.push(`## ${name}`, '');
    for (const { query, params } of bench.captured) {
      if (seen.has(query)) continue;
      seen.add(query);
      let plan: string[] = [];
      try {
        await database.db.transaction(async (tx) => {
          const rows = await database.rows<Record<string, string>>(sql`explain (analyze, buffers) ${bound(query, params)}`, tx);
          plan = rows.map((r) => Object.values(r)[0]!);
          throw new Rollback();
        });
      } catch (e) {
        if (!(e instanceof Rollback)) {
          const why = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
          plan = [
            /duplicate key/.test(why)
              ? '(not explained: the operation stored these rows already, so explaining the insert again would collide with them)'
              : `(not explained: ${why.slice(0, 200)})`,
          ];
        }
      }
      const oneLine = query.replace(/\s+/g, ' ').trim();
      out.push('```sql', oneLine.length > 600 ? `${oneLine.slice(0, 600)} …` : oneLine, '```', '```', ...plan, '```', '');
    }
    say(`${name}: ${seen.size} statements`);
  };

  const [deep] = await database.rows<{ priority: number; id: number | string }>(
    sql`select priority, id from cases where status = 'open' order by -priority, id offset ${Math.floor(Number(open) * 0.6)} limit 1`,
  );
  const cursor = Buffer.from(`${deep!.priority}:${Number(deep!.id)}`).toString('base64url');
  const [someCase] = await database.rows<{ id: number | string }>(sql`select id from cases where status = 'open' order by id desc limit 1`);
  const [cm] = await database.rows<{ id: number | string; email: string; name: string }>(
    sql`select id, email, name from users where role = 'responder' order by id limit 1`,
  );
  const actor = { id: Number(cm!.id), email: cm!.email, name: cm!.name, role: 'responder' as const };

  await explain('Queue: the open cases, first page', () => listCases(database, { status: 'open', limit: 50 }));
  await explain('Queue: a deep page (keyset cursor)', () => listCases(database, { status: 'open', limit: 50, cursor }));
  await explain('Queue: a filter (language and category)', () => listCases(database, { status: 'open', language: 'hr', category: 'billing', limit: 50 }));
  await explain('Queue: a search for a common word', () => listCases(database, { status: 'open', q: 'ne radi', limit: 50 }));
  await explain('Queue: a search for a rare word (the trigram index)', () => listCases(database, { status: 'open', q: 'zvecevo', limit: 50 }));
  await explain('Queue: a search over the whole history', () => listCases(database, { q: 'racun', limit: 50 }));
  await explain("A case's detail", () =>
    getCase(database, Number(someCase!.id), { templates: loadTemplates('rules/templates.yaml'), responderName: actor.name, userId: actor.id }),
  );
  await explain('Next case (claim the top waiting case of my teams)', () => nextCase(database, actor));

  const packs = await defaultPacks();
  const [stream] = await database.rows<{ id: number | string; name: string }>(sql`select id, name from streams where platform = 'x' and name = 'mentions'`);
  await explain('Ingest: one batch of 1,000 posts', () =>
    ingest(database, packs, { id: Number(stream!.id), name: stream!.name }, { posts: incomingPosts(1_000, `explain-${Date.now()}-`, 5), cursor: 'explain' }),
  );

  const config = loadConfig({ ODZIV_RETENTION_DAYS: '180', DATABASE_URL: process.env.DATABASE_URL });
  const rulebook = new Rulebook('rules/packs', log);
  await rulebook.load();
  const adapters = { x: standInPlatform() } as unknown as AdapterSet;
  const channels = { webhook: { serves: () => true, send: async () => {}, close: async () => {} } } as unknown as ChannelSet;
  for (const job of backgroundJobs({ config, database, adapters, rulebook, channels, log, instanceId: `explain-${randomUUID()}` })) {
    if (job.name === 'poll' || job.name === 'outbox') continue;
    await explain(`Job: ${job.name}`, () => job.run());
  }
  await database.close();
  const text = `${out.join('\n')}\n`;
  const file = opts.get('out');
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

await main().catch((e: Error & { cause?: Error }) => {
  say(`bench:explain failed: ${e.cause?.message ?? e.message.slice(0, 500)}`);
  process.exit(1);
});
