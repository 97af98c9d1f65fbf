/**
 * `npm run bench:api -- --size 1M`: requests per second, p50 and p99 of the API and the inbox at a
 * year's size (seeded first, bench:seed), with autocannon at 10 and 50 connections, while odziv's
 * worker jobs run in the same server (the demo stream keeps ingesting meanwhile). Routes: the
 * queue list, a page at 80 % depth, a filter, a search, a case's detail (200 cases in turn) and the
 * inbox page. The baseline, measured in the same run: a bare Hono route serving the queue list's
 * bytes from a process of its own. The server's memory is read from /proc as it runs.
 *
 * odziv runs as `npm start` runs it (one node process), on DATABASE_URL, else on PGlite in
 * --data-dir (the benchmark closes its own handle first: PGlite serves one process).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { benchDatabase, count, freePort, memoryOf, options, result, round, say, waitUntil } from './lib.ts';
import { seedTo } from './seed.ts';

const PASSWORD = 'bench-password-not-for-use';

interface Route {
  name: string;
  paths: string[];
  headers: Record<string, string>;
}

interface Measured {
  route: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  serverRssMiB: number;
}

async function load(url: string, route: Route, connections: number, seconds: number): Promise<Omit<Measured, 'serverRssMiB'>> {
  let i = 0;
  const run = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: route.headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: route.paths[i++ % route.paths.length]! }) }],
  });
  return {
    route: route.name,
    connections,
    requestsPerSecond: round(run.requests.average),
    p50Ms: run.latency.p50,
    p99Ms: run.latency.p99,
    errors: run.errors + run.timeouts,
    non2xx: run.non2xx,
  };
}

function start(cmd: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, cmd, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[server] ${d}`));
  return child;
}

async function main(): Promise<void> {
  const opts = options();
  const size = count(opts, 'size', 1_000_000);
  const seconds = count(opts, 'duration', 10);
  const connectionsList = (opts.get('connections') ?? '10,50').split(',').map(Number);
  const bench = await benchDatabase(opts);
  say(`seeding ${bench.where} to ${size} posts…`);
  await seedTo(bench.database, { posts: size }, say);
  // What the routes ask for: a cursor at 80 % of the open queue, open cases to read in turn.
  const [{ n }] = (await bench.database.rows<{ n: number | string }>(sql`select count(*) as n from cases where status = 'open'`)) as [{ n: number }];
  const [deep] = await bench.database.rows<{ priority: number; id: number | string }>(
    sql`select priority, id from cases where status = 'open' order by -priority, id offset ${Math.floor(Number(n) * 0.8)} limit 1`,
  );
  const cursor = Buffer.from(`${deep!.priority}:${Number(deep!.id)}`).toString('base64url');
  const ids = (await bench.database.rows<{ id: number | string }>(sql`select id from cases where status <> 'resolved' order by id desc limit 200`)).map((r) =>
    Number(r.id),
  );
  const database = bench.database.kind;
  await bench.database.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ODZIV_REPLAY: 'on',
    ODZIV_REPLAY_SPEED: '20',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { ODZIV_DATA_DIR: resolve(opts.get('data-dir') ?? './data/bench') }),
  };
  const server = start(['--import', 'tsx', 'src/index.ts'], env);
  const children: ChildProcess[] = [server];
  try {
    await waitUntil('odziv to answer /health', async () => ((await fetch(`${base}/health`)).ok ? true : undefined));
    const tokenRes = await fetch(`${base}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cm1@bench.local', password: PASSWORD, name: 'bench' }),
    });
    const { token } = (await tokenRes.json()) as { token: string };
    if (!token) throw new Error(`no API token (${tokenRes.status})`);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cm1@bench.local', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const api = { authorization: `Bearer ${token}` };
    const routes: Route[] = [
      { name: 'queue list', paths: ['/api/cases?status=open&limit=50'], headers: api },
      { name: 'deep page (80 %)', paths: [`/api/cases?status=open&limit=50&cursor=${cursor}`], headers: api },
      { name: 'filter (hr, billing)', paths: ['/api/cases?status=open&language=hr&category=billing&limit=50'], headers: api },
      // As the inbox searches (within a status), and across the whole history.
      {
        name: 'search',
        paths: [
          '/api/cases?status=open&q=racun&limit=50',
          '/api/cases?status=open&q=ne%20radi&limit=50',
          `/api/cases?status=open&q=${encodeURIComponent('trešnjevka')}&limit=50`,
          '/api/cases?status=open&q=zvecevo&limit=50',
        ],
        headers: api,
      },
      {
        name: 'search (all history)',
        paths: ['/api/cases?q=ne%20radi&limit=50', '/api/cases?q=racun&limit=50', '/api/cases?q=sramota&limit=50'],
        headers: api,
      },
      { name: 'case detail', paths: ids.map((id) => `/api/cases/${id}`), headers: api },
      { name: 'inbox page', paths: ['/inbox?status=open'], headers: { cookie } },
    ];
    // The baseline: the queue list's own bytes from a bare Hono route.
    const listBody = await (await fetch(`${base}${routes[0]!.paths[0]}`, { headers: api })).text();
    const dir = mkdtempSync(join(tmpdir(), 'odziv-bench-'));
    writeFileSync(join(dir, 'list.json'), listBody);
    const barePort = await freePort();
    const bare = start(['--import', 'tsx', 'bench/bare-server.ts', join(dir, 'list.json'), String(barePort)], {});
    children.push(bare);
    await waitUntil('the bare server', async () => ((await fetch(`http://127.0.0.1:${barePort}/`)).ok ? true : undefined));

    const results: Measured[] = [];
    for (const connections of connectionsList) {
      const b = await load(`http://127.0.0.1:${barePort}`, { name: 'bare Hono, same bytes', paths: ['/'], headers: {} }, connections, seconds);
      results.push({ ...b, serverRssMiB: 0 });
      say(`bare Hono (${listBody.length} bytes) at ${connections}: ${b.requestsPerSecond} req/s, p99 ${b.p99Ms} ms`);
      for (const route of routes) {
        const m = await load(base, route, connections, seconds);
        const mem = memoryOf(server.pid!);
        results.push({ ...m, serverRssMiB: mem.rssMiB });
        say(
          `${route.name} at ${connections}: ${m.requestsPerSecond} req/s (${round(m.requestsPerSecond / b.requestsPerSecond, 3)} of bare), p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms${m.non2xx || m.errors ? `, ${m.non2xx} non-2xx, ${m.errors} errors` : ''}; server RSS ${mem.rssMiB} MiB`,
        );
      }
    }
    const mem = memoryOf(server.pid!);
    const at10 = (name: string) => results.find((r) => r.route === name && r.connections === (connectionsList[0] ?? 10));
    const bare10 = at10('bare Hono, same bytes');
    result({
      bench: 'api',
      database,
      storedPosts: size,
      openCases: Number(n),
      seconds,
      queueListRps: at10('queue list')?.requestsPerSecond,
      queueListP99Ms: at10('queue list')?.p99Ms,
      queueListVsBare: bare10 && at10('queue list') ? round(at10('queue list')!.requestsPerSecond / bare10.requestsPerSecond, 3) : null,
      searchP99Ms: at10('search')?.p99Ms,
      searchAllHistoryP99Ms: at10('search (all history)')?.p99Ms,
      detailP99Ms: at10('case detail')?.p99Ms,
      serverRssMiB: mem.rssMiB,
      serverPeakRssMiB: mem.peakRssMiB,
      results,
    });
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null)))));
  }
}

await main().catch((e: Error & { cause?: Error }) => {
  say(`bench:api failed: ${e.cause?.message ?? e.message.slice(0, 500)}`);
  process.exit(1);
});
