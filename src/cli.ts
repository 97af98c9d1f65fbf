import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import { z } from 'zod';
import { ROLES } from '../db/schema/index.ts';
import { analyze, formatPackError, loadPackFiles, packFilesIn } from '../rules/index.ts';

const HELP = `odziv — social media monitoring and response

Usage:
  odziv analyze                     JSON lines {"id","text"} on stdin → one analysis per line on stdout
  odziv rules check [files…]        validate rule packs (default: every pack in ODZIV_RULES_DIR)
  odziv rules backtest [--since 7d] [--json] <pack file>
                                    replay stored posts through a candidate pack (read-only) and
                                    report what would change against the packs in force
  odziv users add --email E --name N --role R [--teams T1,T2] [--password P]
                                    create a user (roles: ${ROLES.join(', ')}; teams: default care);
                                    without --password a random one is printed once. On the
                                    embedded database stop odziv first, or add people on its
                                    People page
`;

const InputLine = z.object({
  id: z.union([z.string(), z.number()], { error: 'expected "id" as a string or a number' }).optional(),
  text: z.string({ error: 'expected "text" as a string' }),
});

/**
 * `odziv analyze`: reads JSON lines with `id` and `text`, writes one JSON line per input in the
 * same order and nothing else on stdout. A line that cannot be read still gets its own output line
 * `{"id", "error"}` (so outputs stay aligned with inputs), is reported on stderr, and makes the
 * exit code 1.
 */
async function analyzeCommand(): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let failed = 0;
  const out: string[] = [];
  // Waits when stdout's buffer is full (a slow reader downstream): a million lines piped through
  // `head` or over ssh must not pile up in memory.
  const flush = async () => {
    const full = out.length > 0 && !process.stdout.write(out.join(''));
    out.length = 0;
    if (full) await once(process.stdout, 'drain');
  };
  for await (const raw of rl) {
    n++;
    // Files saved by Windows tools start with a byte-order mark.
    const line = n === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (!line.trim()) continue;
    let parsed: z.infer<typeof InputLine>;
    try {
      const r = InputLine.safeParse(JSON.parse(line));
      if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '));
      parsed = r.data;
    } catch (e) {
      failed++;
      const message = e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message;
      process.stderr.write(`odziv analyze: line ${n}: ${message}\n`);
      let id: unknown = null;
      try {
        id = (JSON.parse(line) as { id?: unknown }).id ?? null;
      } catch {
        // not JSON: no id to echo
      }
      const json = JSON.stringify({ id, error: `line ${n}: ${message}` });
      out.push(`${typeof id === 'number' ? withExactId(json, line, id) : json}\n`);
      continue;
    }
    const a = analyze(parsed.text);
    const json = JSON.stringify({
      id: parsed.id ?? null,
      language: a.language,
      ...(a.languageGuess ? { languageGuess: a.languageGuess } : {}),
      sentiment: a.sentiment,
      negative: a.negative,
      complaint: a.complaint,
      isComplaint: a.isComplaint,
      categories: a.categories,
      evidence: a.evidence,
    });
    out.push(`${typeof parsed.id === 'number' ? withExactId(json, line, parsed.id) : json}\n`);
    if (out.length >= 256) await flush();
  }
  await flush();
  return failed ? 1 : 0;
}

/**
 * A numeric id echoed as it was written: JSON.parse rounds integers past 2^53, and ids that big are
 * common (X's are 64-bit), so 1400000000000000001 would come back as another post's id.
 */
function withExactId(json: string, line: string, id: number): string {
  if (Number.isSafeInteger(id)) return json;
  const raw = (parseLossless(line) as { id?: unknown }).id;
  return isLosslessNumber(raw) ? `{"id":${raw.toString()}${json.slice(`{"id":${JSON.stringify(id)}`.length)}` : json;
}

async function rulesCheck(files: string[]): Promise<number> {
  const dir = process.env.ODZIV_RULES_DIR ?? './rules/packs';
  let paths = files;
  if (!paths.length) {
    try {
      paths = await packFilesIn(dir);
    } catch (e) {
      process.stderr.write(`odziv rules check: cannot read ${dir}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const { packs, errors } = await loadPackFiles(paths);
  for (const e of errors) process.stdout.write(`${formatPackError(e)}\n`);
  for (const p of packs) process.stdout.write(`ok ${p.file}: pack "${p.name}", ${p.rules.length} rules\n`);
  if (errors.length) process.stdout.write(`${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
  return errors.length ? 1 : 0;
}

async function rulesBacktest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { since: { type: 'string', default: '7d' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    process.stderr.write('odziv rules backtest: name one candidate pack file\n');
    return 2;
  }
  const { readFile } = await import('node:fs/promises');
  const { loadPackText } = await import('../rules/index.ts');
  const { describeLabels, parseSince, runBacktest, withCandidate } = await import('./backtest/backtest.ts');
  let since: Date;
  try {
    since = parseSince(values.since!);
  } catch (e) {
    process.stderr.write(`odziv rules backtest: --${(e as Error).message}\n`);
    return 2;
  }
  const file = positionals[0]!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    process.stderr.write(`odziv rules backtest: cannot read ${file} (${(e as NodeJS.ErrnoException).code})\n`);
    return 2;
  }
  const candidate = loadPackText(text, file);
  if (!candidate.pack) {
    for (const e of candidate.errors) process.stdout.write(`${formatPackError(e)}\n`);
    return 1;
  }
  const dir = process.env.ODZIV_RULES_DIR ?? './rules/packs';
  const live = await loadPackFiles(await packFilesIn(dir));
  if (live.errors.length) {
    for (const e of live.errors) process.stderr.write(`${formatPackError(e)}\n`);
    return 1;
  }
  const { loadConfig } = await import('./config.ts');
  const { openDatabase } = await import('../db/client.ts');
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ODZIV_DATA_DIR });
  try {
    const r = await runBacktest(database, live.packs, withCandidate(live.packs, candidate.pack), since, (done, total) => {
      process.stderr.write(`backtest: ${done}/${total} posts\n`);
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const lines = [
      `backtest of pack "${candidate.pack.name}" (${file}) on ${r.posts} posts since ${r.since}`,
      `  flagged now ${r.flaggedNow}, with the candidate ${r.flaggedWithCandidate}: +${r.newlyFlagged} newly flagged, −${r.noLongerFlagged} no longer flagged`,
    ];
    const verdicts = describeLabels(r.labels);
    if (verdicts) lines.push(`  ${verdicts}`);
    const cats = Object.entries(r.byCategory).map(([c, v]) => `${c} +${v.added}/−${v.removed}`);
    if (cats.length) lines.push(`  by category: ${cats.join(', ')}`);
    const changed = Object.entries(r.byRule).filter(([, v]) => v.now !== v.candidate);
    if (changed.length) lines.push('  rules that fire differently:', ...changed.map(([k, v]) => `    ${k}: ${v.now} → ${v.candidate}`));
    for (const [title, list] of [
      ['newly flagged', r.examples.newlyFlagged],
      ['no longer flagged', r.examples.noLongerFlagged],
    ] as const) {
      if (list.length)
        lines.push(`  examples ${title}:`, ...list.map((e) => `    post ${e.postId} [${e.category ?? '—'}] ${JSON.stringify(e.text)} (${e.rules.join(', ')})`));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function usersAdd(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, teams: { type: 'string' }, password: { type: 'string' } },
  });
  const { NewPersonInput } = await import('./auth/people.ts');
  // The same rules as the People page and POST /api/users.
  const parsed = NewPersonInput.safeParse({ ...values, teams: values.teams?.split(',') });
  if (!parsed.success) {
    for (const i of parsed.error.issues) process.stderr.write(`odziv users add: --${String(i.path[0])}: ${i.message}\n`);
    return 2;
  }
  const { loadConfig } = await import('./config.ts');
  const { openDatabase } = await import('../db/client.ts');
  const { createUser } = await import('./auth/users.ts');
  const { randomPassword } = await import('./auth/passwords.ts');
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.ODZIV_DATA_DIR });
  try {
    const password = parsed.data.password ?? randomPassword();
    const user = await createUser(database, { ...parsed.data, password }, 'operator');
    process.stdout.write(`created ${user.role} ${user.email} (id ${user.id})${parsed.data.password ? '' : `\npassword (shown once): ${password}`}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`odziv users add: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (cmd === 'analyze') return analyzeCommand();
  if (cmd === 'rules' && sub === 'check') return rulesCheck(rest);
  if (cmd === 'rules' && sub === 'backtest') return rulesBacktest(rest);
  if (cmd === 'users' && sub === 'add') return usersAdd(rest);
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(`odziv: unknown command "${argv.join(' ')}"\n\n${HELP}`);
  return 2;
}

// The reader went away (`odziv analyze < posts.jsonl | head`): stop quietly, as Unix tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A person's mistake (bad configuration, the data folder in use) needs its message, not a stack.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const usage = err instanceof Error && (err.name === 'ConfigError' || code.startsWith('ERR_PARSE_ARGS_'));
    const plain = usage || (err instanceof Error && err.name === 'DataDirLockedError');
    process.stderr.write(`odziv: ${plain ? (err as Error).message : ((err as Error).stack ?? String(err))}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
