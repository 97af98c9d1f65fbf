/**
 * `npm run bench:jobs -- --size 1M`: each background job's time and statements per run at that
 * size (seeded first, bench:seed): the SLA watcher (wake-ups, idle claims, SLA alerts), the
 * metrics job (engagement refresh and viral detection), spikes, alert deliveries, the digest and
 * retention. Each job runs as the scheduler runs it (src/scheduler/jobs.ts): once from no
 * watermark (its first run after an upgrade), then `--runs` times (5) in steady state, each after
 * a batch of 100 new posts has come in, as between two runs of a busy day. The baseline, measured
 * in the same run: one statement's round trip (`select 1`). The platform and the alert channel
 * are in-process stand-ins that answer at once, so the figures are odziv's and the database's.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AdapterSet } from '../adapters/registry.ts';
import type { ChannelSet } from '../src/alerts/channels/registry.ts';
import { loadConfig } from '../src/config.ts';
import { ingest } from '../src/ingest/ingest.ts';
import { createLogger } from '../src/logger.ts';
import { Rulebook } from '../src/rulebook.ts';
import { backgroundJobs } from '../src/scheduler/jobs.ts';
import { benchDatabase, count, options, percentile, result, round, say, standInPlatform } from './lib.ts';
import { defaultPacks, incomingPosts, seedTo } from './seed.ts';

const MEASURED = ['sla', 'metrics', 'spikes', 'alerts', 'digest', 'retention'];

async function main(): Promise<void> {
  const opts = options();
  const size = count(opts, 'size', 1_000_000);
  const runs = count(opts, 'runs', 5);
  const bench = await benchDatabase(opts);
  const { database } = bench;
  const log = createLogger({ level: 'silent', secrets: [] });
  const out: Array<Record<string, unknown>> = [];
  try {
    say(`seeding ${bench.where} to ${size} posts…`);
    await seedTo(database, { posts: size }, say);
    const config = loadConfig({ ODZIV_RETENTION_DAYS: '180', DATABASE_URL: process.env.DATABASE_URL });
    const rulebook = new Rulebook('rules/packs', log);
    await rulebook.load();
    const adapters = { x: standInPlatform() } as unknown as AdapterSet;
    const channels = { webhook: { serves: () => true, send: async () => {}, close: async () => {} } } as unknown as ChannelSet;
    const jobs = backgroundJobs({ config, database, adapters, rulebook, channels, log, instanceId: `bench-${randomUUID()}` }).filter((j) =>
      MEASURED.includes(j.name),
    );
    const packs = await defaultPacks();
    const [stream] = await database.rows<{ id: number | string; name: string }>(sql`select id, name from streams where platform = 'x' and name = 'mentions'`);

    const trips: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await database.db.execute(sql`select 1`);
      trips.push(performance.now() - t);
    }
    const trip = percentile(
      [...trips].sort((a, b) => a - b),
      50,
    );
    say(`one statement's round trip: ${round(trip, 2)} ms`);

    for (const job of jobs) {
      await database.db.execute(sql`delete from job_runs where job = ${job.name}`);
      const timed = async () => {
        bench.resetStatements();
        const t = performance.now();
        await job.run();
        return { ms: performance.now() - t, statements: bench.statements() };
      };
      const first = await timed();
      const steady: Array<{ ms: number; statements: number }> = [];
      for (let r = 0; r < runs; r++) {
        await ingest(
          database,
          packs,
          { id: Number(stream!.id), name: stream!.name },
          { posts: incomingPosts(100, `job-${job.name}-${Date.now()}-${r}-`, 100 + r), cursor: `jobs-${r}` },
        );
        steady.push(await timed());
      }
      const ms = steady.map((s) => s.ms).sort((a, b) => a - b);
      const line = {
        job: job.name,
        firstRunMs: round(first.ms, 1),
        firstRunStatements: first.statements,
        medianMs: round(percentile(ms, 50), 1),
        maxMs: round(ms.at(-1)!, 1),
        statementsPerRun: Math.max(...steady.map((s) => s.statements)),
        vsRoundTrip: round(percentile(ms, 50) / trip, 1),
      };
      out.push(line);
      say(
        `${job.name}: first run ${line.firstRunMs} ms / ${line.firstRunStatements} statements; steady median ${line.medianMs} ms, max ${line.maxMs} ms, ${line.statementsPerRun} statements (${line.vsRoundTrip}× a round trip)`,
      );
    }
    const [{ posts, open }] = (await database.rows<{ posts: number | string; open: number | string }>(
      sql`select (select count(*) from posts) as posts, (select count(*) from cases where status <> 'resolved') as open`,
    )) as [{ posts: number; open: number }];
    result({
      bench: 'jobs',
      database: database.kind,
      storedPosts: Number(posts),
      unresolvedCases: Number(open),
      roundTripMs: round(trip, 3),
      maxMsPerRun: Math.max(...out.map((o) => Number(o.maxMs))),
      maxStatementsPerRun: Math.max(...out.map((o) => Number(o.statementsPerRun))),
      jobs: out,
    });
  } finally {
    await database.close();
  }
}

await main().catch((e: Error & { cause?: Error }) => {
  say(`bench:jobs failed: ${e.cause?.message ?? e.message.slice(0, 500)}`);
  process.exit(1);
});
