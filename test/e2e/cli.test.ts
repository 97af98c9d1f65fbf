import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { verifyLogin } from '../../src/auth/users.ts';

const odziv = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/odziv.js', ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

describe('odziv CLI', () => {
  it('analyze: one JSON line per input, in order, and nothing else on stdout', () => {
    const input = [
      { id: 'a', text: 'Internet opet ne radi, čekam od jutra!' },
      { id: 2, text: 'Hvala, super ste!' },
      { id: 'c', text: 'Отказујем уговор, прелазим код конкуренције' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const r = odziv(['analyze'], `${input}\n`);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => o.id)).toEqual(['a', 2, 'c']);
    for (const o of out) expect(Object.keys(o)).toEqual(['id', 'language', 'sentiment', 'negative', 'complaint', 'isComplaint', 'categories', 'evidence']);
    expect(out[0]).toMatchObject({ isComplaint: true });
    expect(out[2]!.categories).toContain('churn');
  });

  it('analyze: a bad line gets an error line in its place, a message on stderr, and exit 1', () => {
    const r = odziv(['analyze'], '{"id":1,"text":"ok"}\nnot json\n{"id":3,"text":"fine"}\n');
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: unknown; error?: string });
    expect(lines.map((l) => l.id)).toEqual([1, null, 3]);
    expect(lines[1]!.error).toBe('line 2: not valid JSON');
    expect(r.stderr).toContain('line 2: not valid JSON');
  });

  it('analyze: echoes a numeric id exactly as written, even past 2^53 (X ids are 64-bit)', () => {
    const r = odziv(['analyze'], '{"id":1400000000000000001,"text":"Internet opet ne radi!"}\n{"id":1400000000000000003,"text":5}\n{"id":7,"text":"ok"}\n');
    const lines = r.stdout.trim().split('\n');
    // Read as text: JSON.parse would round both big ids to 1400000000000000000.
    expect(lines.map((l) => /^\{"id":([^,]+),/.exec(l)?.[1])).toEqual(['1400000000000000001', '1400000000000000003', '7']);
    expect(lines[0]).toContain('"negative":true');
    expect(lines[1]).toContain('"error":"line 2: text: expected');
  });

  it('analyze: reads files saved by Windows tools (byte-order mark, CRLF line ends)', () => {
    const r = odziv(['analyze'], '\uFEFF{"id":1,"text":"Internet opet ne radi!"}\r\n{"id":2,"text":"Hvala, super ste!"}\r\n');
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: unknown; negative?: boolean });
    expect(lines.map((l) => [l.id, l.negative])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('analyze: stops quietly when its reader goes away (| head), and keeps up with a slow one', async () => {
    const posts = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: i, text: `Internet ne radi već ${i} dana` })).join('\n');
    const child = spawn(process.execPath, ['bin/odziv.js', 'analyze'], { env: { PATH: process.env.PATH ?? '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => {}); // it may stop reading before all is written
    child.stdin.end(posts);
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);

    // A reader that takes its time still gets every line, in order.
    const slow = spawn(process.execPath, ['bin/odziv.js', 'analyze'], { env: { PATH: process.env.PATH ?? '' } });
    slow.stdin.end(posts);
    const ids: number[] = [];
    let rest = '';
    slow.stdout.pause();
    for await (const chunk of slow.stdout) {
      rest += (chunk as Buffer).toString();
      const lines = rest.split('\n');
      rest = lines.pop()!;
      for (const l of lines) ids.push((JSON.parse(l) as { id: number }).id);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(ids).toHaveLength(20_000);
    expect(ids.every((id, i) => id === i)).toBe(true);
  }, 300_000);

  it('rules check: ok on the default pack, every error and exit 1 on a broken one', () => {
    const ok = odziv(['rules', 'check']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ok rules\/packs\/default.yaml: pack "default", \d+ rules$/m);
    const bad = odziv(['rules', 'check', 'test/fixtures/packs/broken.yaml']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('test/fixtures/packs/broken.yaml: rule "refund-delay": conditions.any[2].minComplaint: expected a number between 0 and 1');
    expect(bad.stdout).toContain('4 errors');
  });

  it('users add: creates a person who can sign in, names each bad option, refuses a second with the same e-mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odziv-cli-users-'));
    const env = { PATH: process.env.PATH ?? '', ODZIV_DATA_DIR: dir };
    const add = (args: string[]) => spawnSync(process.execPath, ['bin/odziv.js', 'users', 'add', ...args], { encoding: 'utf8', env });
    try {
      const ok = add(['--email', 'Ana@Example.com', '--name', 'Ana', '--role', 'responder', '--teams', 'care,billing']);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      const m = /^created responder ana@example\.com \(id (\d+)\)\npassword \(shown once\): (\S{16,})$/.exec(ok.stdout.trim());
      expect(m, ok.stdout).not.toBeNull();

      const bad = add(['--email', 'nope', '--name', 'X', '--role', 'boss', '--teams', ',']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--email: expected an e-mail address');
      expect(bad.stderr).toContain('--role: expected one of responder');
      expect(bad.stderr).toContain('--teams: expected a team name');
      const unknown = add(['--emial', 'a@b.c']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/^odziv: Unknown option '--emial'/);

      const twice = add(['--email', 'ana@example.com', '--name', 'Ana', '--role', 'marketing']);
      expect(twice.status).toBe(1);
      expect(twice.stderr).toContain('a user with e-mail ana@example.com already exists');

      const database = await openDatabase({ dataDir: dir });
      try {
        expect(await verifyLogin(database, 'ana@example.com', m![2]!)).toMatchObject({ id: Number(m![1]), role: 'responder' });
        const [row] = await database.db
          .select({ teams: users.teams })
          .from(users)
          .where(eq(users.id, Number(m![1])));
        expect(row!.teams).toEqual(['care', 'billing']);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('unknown commands exit 2 with help', () => {
    const r = odziv(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });
});
