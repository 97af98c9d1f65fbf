import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import { copyTemplateTo, readTemplate } from './pglite-template.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The database handle every module above the driver uses: the same for PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either a database or an open transaction: functions that take it compose into one transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The name its PostgreSQL sessions carry (OpenOptions.name), when it was given one. */
  name?: string;
  /** Rows of a raw SQL statement, whichever driver runs it. */
  rows<T = Record<string, unknown>>(query: SQL, exec?: Executor): Promise<T[]>;
  /** A statement as text with $1… parameters, straight to the driver (no query building): for benchmarks' baselines. */
  exec(text: string, params?: unknown[]): Promise<unknown[]>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel` (from any instance on the same PostgreSQL);
   * resolves once listening, to a function that stops it.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  /** Max pool size for PostgreSQL. */
  poolSize?: number;
  /** This process's name (its instance id): PostgreSQL shows it as the sessions' application_name, so others can tell it is alive. */
  name?: string;
  /** Called with every statement drizzle sends (benchmarks count statements per job run). */
  onQuery?: (query: string, params: unknown[]) => void;
  /** PostgreSQL: send statements prepared (default), so each is planned once per connection. */
  prepare?: boolean;
}

/** Opens the database and applies committed migrations (idempotent, safe for several instances). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const logger = opts.onQuery ? { logQuery: (query: string, params: unknown[]) => opts.onQuery!(query, params) } : undefined;
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, logger, opts.prepare ?? true, opts.name);
  return openPglite(opts.dataDir ?? './data', logger);
}

type QueryLogger = { logQuery(query: string, params: unknown[]): void } | undefined;

/**
 * PGlite keeps its shared buffers inside the WebAssembly heap, which never shrinks: PostgreSQL's
 * default 128 MB made the embedded server ~100 MiB larger for no speed this workload measures (its
 * files are read through the OS page cache).
 */
export const PGLITE_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function openPglite(dataDir: string, logger: QueryLogger): Promise<Database> {
  let client: PGlite;
  let unlock = () => {};
  // A new database starts from the migrated template when there is one (db/pglite-template.ts).
  if (dataDir === 'memory://') {
    const template = readTemplate();
    client = new PGlite({ extensions: { pg_trgm }, startParams: PGLITE_PARAMS, ...(template ? { loadDataDir: template } : {}) });
  } else {
    const dir = resolve(dataDir, 'pglite');
    mkdirSync(dirname(dir), { recursive: true });
    unlock = lockDataDir(`${dir}.lock`);
    if (!existsSync(join(dir, 'PG_VERSION'))) copyTemplateTo(dir);
    client = new PGlite(dir, { extensions: { pg_trgm }, startParams: PGLITE_PARAMS });
  }
  const db = drizzlePglite(client, { schema, ...(logger ? { logger } : {}) }) as unknown as Db;
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
  } catch (e) {
    await client.close().catch(() => {});
    unlock();
    throw e;
  }
  return {
    db,
    kind: 'pglite',
    async rows<T>(query: SQL, exec: Executor = db) {
      const res = (await exec.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    exec: async (text, params = []) => (await client.query(text, params)).rows,
    listen: async (channel, onPayload) => {
      const stop = await client.listen(channel, onPayload);
      return async () => {
        if (!client.closed) await stop();
      };
    },
    close: async () => {
      if (!client.closed) await client.close();
      unlock();
    },
  };
}

/**
 * drizzle sends every query unprepared unless it is given a name, so PostgreSQL parses and plans
 * the queue's query on every request (planning was half its time at a year's size, with the
 * indexes the jobs need). This hands drizzle a client whose queries, and whose transactions'
 * queries, are prepared: postgres.js keeps them per connection, and PostgreSQL reuses their plans.
 */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') return (query: string, params?: unknown[], opts?: object) => target.unsafe(query, params as never[], { ...opts, prepare: true });
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.at(-1) as (sql: postgres.Sql) => unknown;
          const method = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!;
          return method.call(target, ...args.slice(0, -1), (inner: postgres.Sql) => fn(preparing(inner)));
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Sessions of odziv instances are named `odziv:<instance id>` in pg_stat_activity. */
export const APPLICATION_PREFIX = 'odziv:';

async function openPostgres(url: string, max: number, logger: QueryLogger, prepare: boolean, name?: string): Promise<Database> {
  // Migrations run on one dedicated connection under an advisory lock, so several instances
  // starting together apply them once.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(74201)`;
    await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: MIGRATIONS_DIR });
    await migrator`select pg_advisory_unlock(74201)`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { max, onnotice: () => {}, ...(name ? { connection: { application_name: `${APPLICATION_PREFIX}${name}`.slice(0, 63) } } : {}) });
  const db = drizzlePostgres(prepare ? preparing(client) : client, { schema, ...(logger ? { logger } : {}) }) as unknown as Db;
  // drizzle hands postgres.js dates as strings it made itself and turns off postgres.js's date
  // serializers; a Date inside a raw sql`` template would then fail on PostgreSQL (not on PGlite).
  const dateOrAsIs = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  for (const type of [1184, 1114, 1082]) client.options.serializers[type] = dateOrAsIs;
  return {
    db,
    kind: 'postgres',
    name,
    async rows<T>(query: SQL, exec: Executor = db) {
      return (await exec.execute(query)) as unknown as T[];
    },
    exec: async (text, params = []) => [...(await client.unsafe(text, params as never[]))],
    // postgres.js listens on one dedicated connection of its own, and listens again after a reconnect.
    listen: async (channel, onPayload) => {
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

export { sql };
