import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { and, eq, notInArray } from 'drizzle-orm';
import { createAdapters } from '../adapters/registry.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { isAdapterError } from '../adapters/errors.ts';
import type { XAdapter } from '../adapters/x/index.ts';
import type { MastodonAdapter } from '../adapters/mastodon/index.ts';
import type { BlueskyAdapter } from '../adapters/bluesky/index.ts';
import { createChannels } from './alerts/channels/registry.ts';
import { streams } from '../db/schema/index.ts';
import { createApp } from './api/app.ts';
import { bootstrapAdmin } from './auth/users.ts';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { releaseOrphanedLeases } from './leases.ts';
import type { Logger } from './logger.ts';
import { Rulebook } from './rulebook.ts';
import { audit } from './audit.ts';
import { setSecrets } from './scrub.ts';
import { drainBacktests, endInterruptedBacktests } from './backtest/jobs.ts';
import { Scheduler } from './scheduler/index.ts';
import { backgroundJobs } from './scheduler/jobs.ts';
import { loadTemplates } from './queue/templates.ts';

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

/** Platforms configured from the environment; none means the demo replay stream runs. */
function configuredPlatforms(config: Config): string[] {
  return [config.x ? 'x' : undefined, config.mastodon ? 'mastodon' : undefined, config.bluesky ? 'bluesky' : undefined].filter((p): p is string => !!p);
}

type WantedStream = { name: string; config: Record<string, unknown> };

/**
 * Makes a platform's streams what the configuration asks for: each wanted stream exists, enabled,
 * with its settings; any other stream of the platform (a search or hashtag taken out of the
 * settings) stops being read. Its posts and cases stay.
 */
async function syncStreams(database: Database, platform: string, wanted: WantedStream[]): Promise<void> {
  for (const w of wanted) {
    await database.db.insert(streams).values({ platform, name: w.name, config: w.config }).onConflictDoUpdate({ target: [streams.platform, streams.name], set: { config: w.config, enabled: true } });
  }
  await database.db
    .update(streams)
    .set({ enabled: false })
    .where(and(eq(streams.platform, platform), notInArray(streams.name, wanted.map((w) => w.name))));
}

/**
 * Checks the X credentials and creates the brand's streams (mentions, and search when
 * X_SEARCH_QUERY is set). A rejected credential stops the start with the variable's name.
 */
async function setUpX(adapter: XAdapter, config: Config, database: Database, log: Logger): Promise<void> {
  let verified: { brandId: string; canReply: boolean } | undefined;
  try {
    verified = await adapter.verify();
  } catch (e) {
    if (isAdapterError(e) && e.kind === 'auth' && !e.message.startsWith('X_')) throw new Error(`X_BEARER_TOKEN was rejected by X (${e.message})`);
    if (isAdapterError(e) && (e.kind === 'auth' || e.kind === 'not_found' || e.kind === 'invalid')) throw new Error(e.message);
    // X being down for a moment must not keep odziv down: the streams retry and show their health.
    log.warn({ err: (e as Error).message, baseUrl: config.x!.baseUrl }, 'X is not reachable now; its streams will retry');
  }
  const wanted: WantedStream[] = [{ name: 'mentions', config: verified ? { kind: 'mentions', userId: verified.brandId } : { kind: 'mentions' } }];
  if (config.x!.searchQuery) wanted.push({ name: 'search', config: { kind: 'search', query: config.x!.searchQuery } });
  await syncStreams(database, 'x', wanted);
  log.info({ brand: config.x!.brandUsername, streams: wanted.map((w) => w.name), canReply: verified?.canReply }, 'X configured');
}

/**
 * Checks the Mastodon token and creates the brand's mentions stream. A rejected token stops the
 * start with the variable's name; a server that is down for a moment does not.
 */
async function setUpMastodon(adapter: MastodonAdapter, config: Config, database: Database, log: Logger): Promise<void> {
  let verified: { acct: string; maxCharacters: number } | undefined;
  try {
    verified = await adapter.verify();
  } catch (e) {
    if (isAdapterError(e) && e.kind === 'auth') throw new Error(`MASTODON_ACCESS_TOKEN was rejected by ${config.mastodon!.baseUrl} (${e.message})`);
    if (isAdapterError(e) && (e.kind === 'not_found' || e.kind === 'invalid')) throw new Error(`MASTODON_URL: ${config.mastodon!.baseUrl} does not answer as a Mastodon server (${e.message})`);
    log.warn({ err: (e as Error).message, baseUrl: config.mastodon!.baseUrl }, 'Mastodon is not reachable now; its stream will retry');
  }
  const wanted: WantedStream[] = [{ name: 'mentions', config: { kind: 'mentions' } }, ...config.mastodon!.hashtags.map((tag) => ({ name: `#${tag}`, config: { kind: 'hashtag', tag } }))];
  await syncStreams(database, 'mastodon', wanted);
  log.info({ account: verified?.acct, maxCharacters: verified?.maxCharacters, streams: wanted.map((w) => w.name) }, 'Mastodon configured');
}

/**
 * Signs in to Bluesky and creates the brand's notifications stream (mentions, replies, quotes). A
 * refused app password stops the start with the variable's name; a server down for a moment does not.
 */
async function setUpBluesky(adapter: BlueskyAdapter, config: Config, database: Database, log: Logger): Promise<void> {
  let did: string | undefined;
  try {
    did = (await adapter.verify()).did;
  } catch (e) {
    if (isAdapterError(e) && e.kind === 'auth') throw new Error(`BLUESKY_APP_PASSWORD was refused for ${config.bluesky!.handle} by ${config.bluesky!.service} (${e.message})`);
    if (isAdapterError(e) && (e.kind === 'not_found' || e.kind === 'invalid')) throw new Error(`BLUESKY_SERVICE: ${config.bluesky!.service} does not answer as a Bluesky server (${e.message})`);
    log.warn({ err: (e as Error).message, service: config.bluesky!.service }, 'Bluesky is not reachable now; its stream will retry');
  }
  const query = config.bluesky!.searchQuery;
  const wanted: WantedStream[] = [{ name: 'notifications', config: { kind: 'notifications' } }, ...(query ? [{ name: 'search', config: { kind: 'search', q: query } }] : [])];
  await syncStreams(database, 'bluesky', wanted);
  log.info({ handle: config.bluesky!.handle, did, streams: wanted.map((w) => w.name) }, 'Bluesky configured');
}

/** The composition root: builds every part once and wires them together. */
export async function createOdziv(config: Config, log: Logger): Promise<Odziv> {
  // Error text stored from here on (streams, replies, alert deliveries) is scrubbed of these.
  setSecrets(config.secrets);
  // This process's name in leases, and in its PostgreSQL sessions' application_name.
  const instanceId = randomUUID();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ODZIV_DATA_DIR, prepare: config.DATABASE_PREPARE === 'on', poolSize: config.DATABASE_POOL_SIZE, name: instanceId });
  const rulebook = new Rulebook(resolve(config.ODZIV_RULES_DIR), log.child({ component: 'rules' }), (change) =>
    audit(database.db, { actorUserId: null, action: change.accepted ? 'rules.reload' : 'rules.rejected', subjectType: 'rules', subjectId: null, details: change }),
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
    const adapters = await createAdapters({ dataDir: resolve(config.ODZIV_DATA_DIR), replaySpeed: config.ODZIV_REPLAY_SPEED, x: config.x, mastodon: config.mastodon, bluesky: config.bluesky });
    if (adapters.x) await setUpX(adapters.x as XAdapter, config, database, log);
    if (adapters.mastodon) await setUpMastodon(adapters.mastodon as MastodonAdapter, config, database, log);
    if (adapters.bluesky) await setUpBluesky(adapters.bluesky as BlueskyAdapter, config, database, log);
    const templates = loadTemplates(resolve(config.ODZIV_TEMPLATES));
    const channels = createChannels(config);
    const deps: Deps = { config, database, adapters, rulebook, templates, log };

    const replay = config.ODZIV_REPLAY === 'on' || (config.ODZIV_REPLAY === 'auto' && configuredPlatforms(config).length === 0);
    if (replay) {
      const replayConfig = config.ODZIV_REPLAY_FILE ? { file: resolve(config.ODZIV_REPLAY_FILE) } : {};
      await database.db.insert(streams).values({ platform: 'replay', name: 'demo', config: replayConfig }).onConflictDoUpdate({ target: [streams.platform, streams.name], set: { config: replayConfig } });
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
