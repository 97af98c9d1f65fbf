import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { and, eq, notInArray } from 'drizzle-orm';
import { isAdapterError } from '../adapters/errors.ts';
import { createAdapters } from '../adapters/registry.ts';
import type { ConfiguredPlatform, PlatformAdapter, Verification, WantedStream } from '../adapters/types.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { streams } from '../db/schema/index.ts';
import { createChannels } from './alerts/channels/registry.ts';
import { createApp } from './api/app.ts';
import { audit } from './audit.ts';
import { bootstrapAdmin } from './auth/users.ts';
import { drainBacktests, endInterruptedBacktests } from './backtest/jobs.ts';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { releaseOrphanedLeases } from './leases.ts';
import type { Logger } from './logger.ts';
import { loadTemplates } from './queue/templates.ts';
import { Rulebook } from './rulebook.ts';
import { Scheduler } from './scheduler/index.ts';
import { backgroundJobs } from './scheduler/jobs.ts';
import { setSecrets } from './scrub.ts';

export interface Odziv {
  deps: Deps;
  /** This process's name in stream and job leases. */
  instanceId: string;
  app: ReturnType<typeof createApp>;
  scheduler: Scheduler;
  /** Starts the background jobs (polling, outbox, rule-pack watching). */
  startJobs(): void;
  /** Stops jobs, drains in-flight work and closes the database. */
  close(): Promise<void>;
}

/**
 * Makes a platform's streams what the configuration asks for: each wanted stream exists, enabled,
 * with its settings; any other stream of the platform (a search or hashtag taken out of the
 * settings) stops being read. Its posts and cases stay.
 */
async function syncStreams(database: Database, platform: string, wanted: WantedStream[]): Promise<void> {
  for (const w of wanted) {
    await database.db
      .insert(streams)
      .values({ platform, name: w.name, config: w.config })
      .onConflictDoUpdate({ target: [streams.platform, streams.name], set: { config: w.config, enabled: true } });
  }
  await database.db
    .update(streams)
    .set({ enabled: false })
    .where(
      and(
        eq(streams.platform, platform),
        notInArray(
          streams.name,
          wanted.map((w) => w.name),
        ),
      ),
    );
}

/**
 * Checks a platform's credentials and creates the streams its settings ask for. A credential the
 * platform refuses stops the start with the variable's name; a platform down for a moment does
 * not: its streams retry and show their health.
 */
async function setUpPlatform(p: ConfiguredPlatform, adapter: PlatformAdapter, database: Database, log: Logger): Promise<void> {
  let verified: Verification | undefined;
  try {
    verified = await adapter.verify?.();
  } catch (e) {
    if (isAdapterError(e) && !e.retryable) throw new Error(e.message);
    log.warn({ platform: p.platform, err: (e as Error).message }, 'platform not reachable now; its streams will retry');
  }
  const wanted = p.wantedStreams(verified);
  await syncStreams(database, p.platform, wanted);
  log.info({ platform: p.platform, ...verified, streams: wanted.map((w) => w.name) }, 'platform configured');
}

/** The composition root: builds every part once and wires them together. */
export async function createOdziv(config: Config, log: Logger): Promise<Odziv> {
  // Error text stored from here on (streams, replies, alert deliveries) is scrubbed of these.
  setSecrets(config.secrets);
  // This process's name in leases, and in its PostgreSQL sessions' application_name.
  const instanceId = randomUUID();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.ODZIV_DATA_DIR,
    prepare: config.DATABASE_PREPARE === 'on',
    poolSize: config.DATABASE_POOL_SIZE,
    name: instanceId,
  });
  const rulebook = new Rulebook(resolve(config.ODZIV_RULES_DIR), log.child({ component: 'rules' }), (change) =>
    audit(database.db, {
      actorUserId: null,
      action: change.accepted ? 'rules.reload' : 'rules.rejected',
      subjectType: 'rules',
      subjectId: null,
      details: change,
    }),
  );
  try {
    await rulebook.load();
  } catch (e) {
    await database.close();
    throw e;
  }
  try {
    await releaseOrphanedLeases(database);
    // The embedded database serves this process alone: whatever backtest it says is running died with the last one.
    await endInterruptedBacktests(database, database.kind === 'pglite' ? 0 : undefined);
    const adapters = await createAdapters({ dataDir: resolve(config.ODZIV_DATA_DIR), replaySpeed: config.ODZIV_REPLAY_SPEED, platforms: config.platforms });
    for (const p of config.platforms) await setUpPlatform(p, adapters[p.platform]!, database, log);
    const templates = loadTemplates(resolve(config.ODZIV_TEMPLATES));
    const channels = createChannels(config);
    const deps: Deps = { config, database, adapters, rulebook, templates, log };

    const replay = config.ODZIV_REPLAY === 'on' || (config.ODZIV_REPLAY === 'auto' && config.platforms.length === 0);
    if (replay) {
      const replayConfig = config.ODZIV_REPLAY_FILE ? { file: resolve(config.ODZIV_REPLAY_FILE) } : {};
      await database.db
        .insert(streams)
        .values({ platform: 'replay', name: 'demo', config: replayConfig })
        .onConflictDoUpdate({ target: [streams.platform, streams.name], set: { config: replayConfig } });
    }

    const admin = await bootstrapAdmin(database, config.ODZIV_ADMIN_EMAIL, config.ODZIV_ADMIN_PASSWORD);
    if (admin?.generatedPassword) {
      // Printed once, on the very first start, so a newcomer can log in; never a fixed default.
      log.warn({ email: admin.email, initialPassword: admin.generatedPassword }, 'first start: created the admin account; this password is shown only now');
    } else if (admin) {
      log.info({ email: admin.email }, 'first start: created the admin account with ODZIV_ADMIN_PASSWORD');
    }

    const app = createApp(deps);
    const scheduler = new Scheduler(log);
    return {
      deps,
      instanceId,
      app,
      scheduler,
      startJobs() {
        for (const j of backgroundJobs({ config, database, adapters, rulebook, channels, log, instanceId })) scheduler.add(j);
        rulebook.watch();
      },
      async close() {
        rulebook.close();
        await scheduler.stop();
        await drainBacktests();
        await Promise.all(Object.values(adapters).map((a) => a?.close?.()));
        await Promise.all(Object.values(channels).map((ch) => ch?.close?.()));
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
