/**
 * What the benchmarks share: their options, the database they measure (DATABASE_URL, else PGlite
 * in a folder of its own), a statement counter, and the one JSON line each ends with.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { PlatformAdapter } from '../adapters/types.ts';
import { type Database, openDatabase } from '../db/client.ts';

/** `--name value` and `--flag` options, e.g. `npm run bench:ingest -- --size 0,100000`. */
export function options(argv = process.argv.slice(2)): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}" (options are --name value)`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out.set(a.slice(2), 'true');
    else {
      out.set(a.slice(2), next);
      i++;
    }
  }
  return out;
}

/** A whole number option ("1000000", "1e6", "100k", "1M"), or the default. */
export function count(opts: Map<string, string>, name: string, fallback: number): number {
  const raw = opts.get(name);
  if (raw === undefined) return fallback;
  const n = parseCount(raw);
  if (n === undefined) throw new Error(`--${name}: expected a whole number such as 100000, 100k or 1M, got "${raw}"`);
  return n;
}

export function parseCount(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(k|m|e\d+)?$/i.exec(raw.trim());
  if (!m) return undefined;
  const unit = m[2]?.toLowerCase();
  const n = Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : unit?.startsWith('e') ? 10 ** Number(unit.slice(1)) : 1);
  return Number.isSafeInteger(Math.round(n)) ? Math.round(n) : undefined;
}

export interface BenchDatabase {
  database: Database;
  /** Statements (and their parameters) drizzle sent while `capture` is on (bench:explain). */
  captured: Array<{ query: string; params: unknown[] }>;
  capture(on: boolean): void;
  /** Statements drizzle sent since the last reset. */
  statements(): number;
  resetStatements(): void;
  /** Where it is, for the report ("postgres" or the PGlite folder). */
  where: string;
}

/**
 * The database a benchmark measures: DATABASE_URL (a real PostgreSQL; use one for benchmarks only,
 * the seed fills it), else PGlite in `--data-dir` (default ./data/bench, apart from odziv's own data).
 */
export async function benchDatabase(opts: Map<string, string>, poolSize = 10): Promise<BenchDatabase> {
  let n = 0;
  let capturing = false;
  const captured: BenchDatabase['captured'] = [];
  const url = process.env.DATABASE_URL?.trim() || undefined;
  const dataDir = resolve(opts.get('data-dir') ?? './data/bench');
  const onQuery = (query: string, params: unknown[]) => {
    n++;
    if (capturing) captured.push({ query, params });
  };
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize, onQuery });
  return {
    database,
    captured,
    capture: (on) => (capturing = on),
    statements: () => n,
    resetStatements: () => (n = 0),
    where: url ? 'postgres' : `pglite ${dataDir}`,
  };
}

/** The benchmark's last line: one JSON object with its figures, for scripts (fields: docs/performance.md). */
export function result(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
}

/** Progress for people, on stderr so stdout stays the figures. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

export const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A small deterministic random source, so two runs seed the same history. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Resolves with `fn`'s first defined answer, trying every `everyMs` for up to `timeoutMs`. */
export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000, everyMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
}

/** Resident and peak memory of a process, in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: round(kb('VmRSS') / 1024), peakRssMiB: round(kb('VmHWM') / 1024) };
}

/** A platform that reports a little more engagement on every read, for the metrics job (bench:jobs, bench:explain). */
export function standInPlatform(): PlatformAdapter {
  let reads = 0;
  return {
    platform: 'x',
    maxReplyLength: 280,
    poll: () => Promise.reject(new Error('the benchmarks do not poll')),
    reply: () => Promise.reject(new Error('the benchmarks do not reply')),
    refreshMetrics: async (ids) => {
      reads++;
      return { metrics: new Map(ids.map((id, i) => [id, { likes: reads * 3 + (i % 7), reposts: reads, replies: reads, quotes: 0 }])), gone: [] };
    },
  };
}
