import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createAdapters } from '../adapters/registry.ts';
import { openDatabase } from '../db/client.ts';
import { streams } from '../db/schema/index.ts';
import { createApp } from './api/app.ts';
import { bootstrapAdmin } from './auth/users.ts';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { pollDueStreams } from './ingest/poller.ts';
import type { Logger } from './logger.ts';
import { deliverDueReplies } from './queue/replies.ts';
import { Rulebook } from './rulebook.ts';
import { drainBacktests } from './backtest/jobs.ts';
import { Scheduler } from './scheduler/index.ts';

export interface Odziv {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  scheduler: Scheduler;
  /** Starts the background jobs (polling, outbox, rule-pack watching). */
  startJobs(): void;
  /** Stops jobs, drains in-flight work and closes the database. */
  close(): Promise<void>;
}

/** Platforms configured from the environment; none means the demo replay stream runs. */
function configuredPlatforms(env: NodeJS.ProcessEnv): string[] {
  return env.X_BEARER_TOKEN ? ['x'] : [];
}

/** The composition root: builds every part once and wires them together. */
export async function createOdziv(config: Config, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Odziv> {
  const rulebook = new Rulebook(resolve(config.ODZIV_RULES_DIR), log.child({ component: 'rules' }));
  await rulebook.load();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ODZIV_DATA_DIR });
  try {
    const adapters = createAdapters({ dataDir: resolve(config.ODZIV_DATA_DIR), replaySpeed: config.ODZIV_REPLAY_SPEED });
    const deps: Deps = { config, database, adapters, rulebook, log };

    const replay = config.ODZIV_REPLAY === 'on' || (config.ODZIV_REPLAY === 'auto' && configuredPlatforms(env).length === 0);
    if (replay) {
      await database.db.insert(streams).values({ platform: 'replay', name: 'demo', config: {} }).onConflictDoNothing();
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
    const instanceId = randomUUID();
    return {
      deps,
      app,
      scheduler,
      startJobs() {
        scheduler.add({ name: 'poll', schedule: config.ODZIV_POLL_CRON, run: () => pollDueStreams({ database, adapters, rulebook, log, instanceId }) });
        scheduler.add({ name: 'outbox', schedule: config.ODZIV_OUTBOX_CRON, run: () => deliverDueReplies(database, adapters, log) });
        rulebook.watch();
      },
      async close() {
        rulebook.close();
        await scheduler.stop();
        await drainBacktests();
        await Promise.all(Object.values(adapters).map((a) => a?.close?.()));
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
