/**
 * `npm run bench:ingest`: posts per second of full ingest (analysis, rules, storing posts,
 * analyses, flags, volumes, thread joins, cases and alerts, and the cursor, in one transaction per
 * batch) in batches of 100 and 1,000, at 0, 100k and 1M stored posts (`--size 0,100k,1M`,
 * `--batch 100,1000`), seeding the history up to each size first (bench:seed). In the same run,
 * on the same rows: a raw multi-row INSERT of the posts alone, straight to the driver (the
 * ceiling), and the analysis alone (the CPU part). DATABASE_URL selects PostgreSQL, else PGlite in
 * --data-dir; `--reset` empties the database first (needed to measure below the size it holds).
 */
import { sql } from 'drizzle-orm';
import type { NormalizedPost } from '../adapters/types.ts';
import { idSet } from '../db/bulk.ts';
import type { Database } from '../db/client.ts';
import { analyzeDetailed } from '../rules/index.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { benchDatabase, options, parseCount, result, round, say } from './lib.ts';
import { defaultPacks, incomingPosts, seedTo } from './seed.ts';

const POSTS_PER_MEASURE = { 100: 6_000, 1000: 24_000 } as Record<number, number>;

interface Measure {
  storedPosts: number;
  batch: number;
  posts: number;
  postsPerSecond: number;
  rawInsertRowsPerSecond: number;
  ratio: number;
  analysisPostsPerSecond: number;
  statementsPerBatch: number;
  casesOpened: number;
}

const list = (raw: string | undefined, fallback: number[]) =>
  raw
    ? raw.split(',').map((x) => {
        const n = parseCount(x);
        if (n === undefined) throw new Error(`expected a comma-separated list of numbers, got "${raw}"`);
        return n;
      })
    : fallback;

/** The posts alone, as one multi-row INSERT with $n parameters per batch: no query builder, no analysis. */
async function rawInsert(database: Database, batches: NormalizedPost[][], streamId: number): Promise<number> {
  const [author] = await database.rows<{ id: number | string }>(sql`select id from authors order by id limit 1`);
  const authorId = Number(author!.id);
  const cols = [
    'platform',
    'platform_post_id',
    'stream_id',
    'author_id',
    'url',
    'text',
    'posted_at',
    'conversation_id',
    'is_own',
    'is_repost',
    'metrics',
    'raw',
  ];
  const started = performance.now();
  let rows = 0;
  const inserted: number[] = [];
  for (const batch of batches) {
    const params: unknown[] = [];
    const values = batch.map((p) => {
      const base = params.length;
      params.push(
        p.platform,
        `raw-${p.platformPostId}`,
        streamId,
        authorId,
        p.url ?? null,
        p.text,
        p.postedAt.toISOString(),
        p.conversationId ?? null,
        false,
        false,
        JSON.stringify(p.metrics ?? null),
        JSON.stringify(p.raw),
      );
      return `(${cols.map((_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    const ids = (await database.exec(`insert into posts (${cols.join(', ')}) values ${values.join(', ')} returning id`, params)) as Array<{
      id: number | string;
    }>;
    inserted.push(...ids.map((r) => Number(r.id)));
    rows += batch.length;
  }
  const seconds = (performance.now() - started) / 1000;
  await database.db.execute(sql`delete from posts where id in ${idSet(inserted)}`);
  return rows / seconds;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** Vacuums what a measurement left behind, so the next one does not compete with autovacuum. */
async function settle(database: Database): Promise<void> {
  await database.db.execute(sql`vacuum (analyze) posts, authors, analyses, flags, cases, alerts, audit_log, volume_buckets`);
}

async function measure(bench: Awaited<ReturnType<typeof benchDatabase>>, storedPosts: number, batch: number, run: number): Promise<Measure> {
  const { database } = bench;
  const packs = await defaultPacks();
  const [stream] = await database.rows<{ id: number | string; name: string }>(sql`select id, name from streams where platform = 'x' and name = 'mentions'`);
  const streamRef = { id: Number(stream!.id), name: stream!.name };
  const total = POSTS_PER_MEASURE[batch] ?? batch * 20;
  const posts = incomingPosts(total, `in${Date.now()}r${run}b${batch}-`, 11 + run);
  const batches: NormalizedPost[][] = [];
  for (let i = 0; i < posts.length; i += batch) batches.push(posts.slice(i, i + batch));
  const ROUNDS = 3;
  const per = Math.max(1, Math.floor(batches.length / ROUNDS));

  const a0 = performance.now();
  for (const p of posts) analyzeDetailed(p.text, { toBrand: true });
  const analysisRate = posts.length / ((performance.now() - a0) / 1000);

  // Rounds of the raw ceiling and full ingest, alternating, so drifting load hits both alike;
  // each on the same rows (the raw copies are deleted and vacuumed away outside the timing).
  const raw: number[] = [];
  const full: number[] = [];
  let opened = 0;
  let statements = 0;
  await settle(database);
  for (let r = 0; r < ROUNDS; r++) {
    const mine = batches.slice(r * per, (r + 1) * per);
    raw.push(await rawInsert(database, mine, streamRef.id));
    await settle(database);
    bench.resetStatements();
    const started = performance.now();
    for (const [i, b] of mine.entries()) {
      // A poll re-reads a little of the one before (the overlap): those come back as duplicates.
      const again = i > 0 ? mine[i - 1]!.slice(-Math.ceil(b.length / 20)) : [];
      const summary = await ingest(database, packs, streamRef, { posts: [...again, ...b], cursor: `bench-${i}` });
      opened += summary.caseIds.length;
    }
    full.push((mine.length * batch) / ((performance.now() - started) / 1000));
    statements += bench.statements();
    await settle(database);
  }
  const rate = median(full);
  const rawRate = median(raw);
  return {
    storedPosts,
    batch,
    posts: per * ROUNDS * batch,
    postsPerSecond: round(rate),
    rawInsertRowsPerSecond: round(rawRate),
    ratio: round(rate / rawRate, 3),
    analysisPostsPerSecond: round(analysisRate),
    statementsPerBatch: round(statements / (per * ROUNDS), 1),
    casesOpened: opened,
  };
}

async function main(): Promise<void> {
  const opts = options();
  const sizes = list(opts.get('size'), [0, 100_000, 1_000_000]).sort((a, b) => a - b);
  const batchSizes = list(opts.get('batch'), [100, 1000]);
  const bench = await benchDatabase(opts);
  const { database } = bench;
  const results: Measure[] = [];
  try {
    if (opts.has('reset')) {
      say('--reset: emptying the database first');
      await database.db.execute(
        sql.raw(
          'truncate table alert_deliveries, metric_snapshots, volume_buckets, saved_views, sessions, case_viewers, case_notes, notices, alerts, backtests, audit_log, replies, cases, flags, analyses, posts, authors, api_tokens, users, streams, job_runs, login_failures restart identity cascade',
        ),
      );
    }
    let run = 0;
    for (const size of sizes) {
      const [{ n }] = (await database.rows<{ n: number | string }>(sql`select count(*) as n from posts`)) as [{ n: number | string }];
      if (Number(n) > size * 1.25 + 50_000) {
        say(`skipping ${size} stored posts: the database holds ${n} (use --reset to measure smaller sizes)`);
        continue;
      }
      say(`seeding ${bench.where} to ${size} posts…`);
      await seedTo(database, { posts: Math.max(size, 1) }, say);
      for (const batch of batchSizes) {
        const m = await measure(bench, size, batch, run++);
        results.push(m);
        say(
          `${size} stored, batches of ${batch}: ${m.postsPerSecond} posts/s (raw INSERT ${m.rawInsertRowsPerSecond} rows/s, ratio ${m.ratio}; analysis alone ${m.analysisPostsPerSecond}/s; ${m.statementsPerBatch} statements a batch)`,
        );
      }
    }
  } finally {
    await database.close();
  }
  const head = [...results].reverse().find((m) => m.batch === 1000) ?? results.at(-1);
  const empty = results.find((m) => m.batch === head?.batch && m.storedPosts === sizes[0]);
  result({
    bench: 'ingest',
    database: database.kind,
    ...(head
      ? {
          storedPosts: head.storedPosts,
          batch: head.batch,
          postsPerSecond: head.postsPerSecond,
          rawInsertRowsPerSecond: head.rawInsertRowsPerSecond,
          ratio: head.ratio,
        }
      : {}),
    ...(head && empty && empty !== head ? { vsEmpty: round(head.postsPerSecond / empty.postsPerSecond, 3) } : {}),
    results,
  });
}

await main().catch((e: Error & { cause?: Error }) => {
  say(`bench:ingest failed: ${e.cause?.message ?? e.message.slice(0, 500)}`);
  process.exit(1);
});
