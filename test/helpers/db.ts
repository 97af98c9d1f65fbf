import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../db/client.ts';

/** True when the suite runs against a real PostgreSQL (TEST_DATABASE_URL), not PGlite. */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export interface TestDatabase {
  database: Database;
  /** A URL other processes can use (real PostgreSQL only). */
  url?: string;
  truncate(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: an in-memory PGlite, or with TEST_DATABASE_URL a new
 * database on that server (dropped afterwards), both migrated the same way as production.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, truncate: () => truncateAll(database), drop: () => database.close() };
  }
  const name = `odziv_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  return {
    database,
    url: url.toString(),
    truncate: () => truncateAll(database),
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function truncateAll(database: Database): Promise<void> {
  await database.db.execute(
    sql.raw(
      'truncate table alert_deliveries, metric_snapshots, volume_buckets, saved_views, sessions, case_viewers, case_notes, notices, alerts, backtests, audit_log, replies, cases, flags, analyses, posts, authors, api_tokens, users, streams, job_runs, login_failures restart identity cascade',
    ),
  );
}
