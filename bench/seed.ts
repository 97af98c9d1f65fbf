/**
 * `npm run bench:seed -- --posts 1000000`: a realistic year of a busy brand, for the other
 * benchmarks to run against. Posts over the last `--days` (365) from authors who write again
 * (a few write a lot), in Croatian, Serbian (both scripts), Bosnian and English on X, Mastodon
 * and Bluesky, some in threads, some the brand's own; every post analyzed by the real analyzer
 * and run through the default pack, the flagged ones as cases in every state (about 75,000
 * unresolved per million posts, mostly recent, some an old backlog), with their replies, notes,
 * history, alerts, engagement snapshots and complaint volumes.
 *
 * It tops up: a database with 100,000 posts seeded to 1,000,000 gets 900,000 more. Rows are
 * written straight to the tables, 5,000 per statement (the ingest path is what bench:ingest
 * measures). DATABASE_URL selects PostgreSQL (a database for benchmarks only), else PGlite in
 * --data-dir (default ./data/bench). `--reset` empties the database first.
 */
import { sql } from 'drizzle-orm';
import { BS, EN, FOLLOW_UPS, HR, MORE, OWN, type SamplePost, SR } from '../adapters/replay/sample-posts.ts';
import type { NormalizedPost } from '../adapters/types.ts';
import { recordset } from '../db/bulk.ts';
import type { Database } from '../db/client.ts';
import { latinToCyrillic } from '../rules/analyze/normalize.ts';
import { ANALYZER_VERSION, analyzeDetailed, type CompiledPack, evaluate, loadPackFiles, packFilesIn } from '../rules/index.ts';
import { volumeCounts } from '../src/alerts/spikes.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { foldForSearch } from '../src/queue/search.ts';
import { firstResponseDue, resolutionDue } from '../src/queue/sla.ts';
import { benchDatabase, count, options, result, rng, round, say } from './lib.ts';

const CHUNK = 5_000;
const DAY = 86_400_000;
const PLATFORMS = [
  { name: 'x', share: 0.7, url: (id: string, h: string) => `https://x.com/${h}/status/${id}` },
  { name: 'mastodon', share: 0.15, url: (id: string, h: string) => `https://mastodon.social/@${h}/${id}` },
  { name: 'bluesky', share: 0.15, url: (id: string, h: string) => `https://bsky.app/profile/${h}.bsky.social/post/${id}` },
] as const;
const SAMPLES: SamplePost[] = [...HR, ...SR, ...BS, ...EN, ...MORE];
const kinds = (...k: string[]) => SAMPLES.filter((p) => k.includes(p.kind));
/** Of the posts that name a busy brand, about 30 % complain; the rest are questions, praise and chatter. */
const MIX: Array<[number, SamplePost[]]> = [
  [0.3, SAMPLES.filter((p) => !['praise', 'question', 'neutral', 'spam'].includes(p.kind))],
  [0.1, kinds('question')],
  [0.08, kinds('praise')],
  [0.52, kinds('neutral', 'spam')],
];
function sampleOf(r: () => number): SamplePost {
  let x = r();
  for (const [share, list] of MIX) {
    if (x < share) return pick(r, list);
    x -= share;
  }
  return pick(r, MIX.at(-1)![1]);
}
const EXTRAS = [
  '',
  '',
  '',
  'Korisnički broj 4821.',
  'Split',
  'Zagreb, Trešnjevka.',
  'Beograd',
  'Novi Sad',
  'Sarajevo, Grbavica',
  'order #{n}',
  'ugovor {n}',
  'Day {d}.',
  '{d}. dan',
  '#vedra',
  'hitno',
  'molim odgovor',
  'please help',
  'ref {n}',
  '😡',
  '🙏',
  'već {d} dana',
  'since {d} days',
];
const FIRST = [
  'ana',
  'marko',
  'ivana',
  'luka',
  'petra',
  'nikola',
  'jelena',
  'amir',
  'emina',
  'sara',
  'john',
  'kate',
  'dragan',
  'mia',
  'tomislav',
  'selma',
  'vuk',
  'lejla',
  'matej',
  'laura',
];
const LAST = ['horvat', 'kovac', 'petrovic', 'jovanovic', 'hodzic', 'babic', 'smith', 'maric', 'novak', 'begic', 'nikolic', 'juric'];

export interface SeedOptions {
  posts: number;
  /** Unresolved cases wanted at `posts` (default 7.5 % of posts). */
  openCases?: number;
  days?: number;
  seed?: number;
}

export interface SeedSummary {
  posts: number;
  added: number;
  cases: number;
  openCases: number;
  authors: number;
  seconds: number;
}

/** Tops the database up to `posts` stored posts; returns what it holds afterwards. */
export async function seedTo(database: Database, o: SeedOptions, progress: (line: string) => void = () => {}): Promise<SeedSummary> {
  const started = performance.now();
  const [{ n: have, maxPost, maxCase, maxAuthor }] = (await database.rows<{
    n: number | string;
    maxPost: number | string | null;
    maxCase: number | string | null;
    maxAuthor: number | string | null;
  }>(
    sql`select (select count(*) from posts) as n, (select max(id) from posts) as "maxPost", (select max(id) from cases) as "maxCase", (select max(id) from authors) as "maxAuthor"`,
  )) as [{ n: number; maxPost: number | null; maxCase: number | null; maxAuthor: number | null }];
  const stored = Number(have);
  const want = o.posts - stored;
  if (want > 0) {
    const packs = await defaultPacks();
    const setup = await ensureSetup(database);
    const random = rng((o.seed ?? 1) + stored);
    const days = o.days ?? 365;
    const openShare = (o.openCases ?? Math.round(o.posts * 0.075)) / Math.max(1, o.posts);
    const state: GenState = {
      postsMade: 0,
      casesMade: 0,
      random,
      now: Date.now(),
      days,
      openShare,
      nextPost: Number(maxPost ?? 0) + 1,
      nextCase: Number(maxCase ?? 0) + 1,
      nextAuthor: Number(maxAuthor ?? 0) + 1,
      authorsWanted: Math.max(100, Math.round(o.posts / 4)),
      packs,
      setup,
    };
    state.authorIds = await authorIds(database);
    for (let done = 0; done < want; ) {
      const n = Math.min(CHUNK, want - done);
      await writeChunk(database, generate(state, n));
      done += n;
      if (done % 100_000 < CHUNK || done === want)
        progress(`seeded ${stored + done} posts (${round(done / ((performance.now() - started) / 1000) / 1000, 1)}k/s)`);
    }
    await fixSequences(database);
    // Vacuumed now, so autovacuum does not wake up in the middle of a later measurement.
    progress('vacuuming and analyzing the tables');
    await database.db.execute(sql`vacuum (analyze)`);
  }
  const [totals] = await database.rows<{ posts: number | string; cases: number | string; open: number | string; authors: number | string }>(
    sql`select (select count(*) from posts) as posts, (select count(*) from cases) as cases, (select count(*) from cases where status <> 'resolved') as open, (select count(*) from authors) as authors`,
  );
  return {
    posts: Number(totals!.posts),
    added: Math.max(0, want),
    cases: Number(totals!.cases),
    openCases: Number(totals!.open),
    authors: Number(totals!.authors),
    seconds: round((performance.now() - started) / 1000, 1),
  };
}

export async function defaultPacks(): Promise<CompiledPack[]> {
  const { packs, errors } = await loadPackFiles(await packFilesIn('rules/packs'));
  if (errors.length) throw new Error(`the default packs do not load: ${errors.map((e) => e.message).join('; ')}`);
  return packs;
}

interface Setup {
  streams: Record<string, number>;
  responders: number[];
  managers: number[];
}

/** Streams and people the history refers to (created once). */
async function ensureSetup(database: Database): Promise<Setup> {
  for (const p of PLATFORMS)
    await database.db.execute(
      sql`insert into streams (platform, name, config) values (${p.name}, 'mentions', '{"kind":"mentions"}') on conflict (platform, name) do nothing`,
    );
  const streams = Object.fromEntries(
    (await database.rows<{ id: number | string; platform: string }>(sql`select id, platform from streams where name = 'mentions'`)).map((r) => [
      r.platform,
      Number(r.id),
    ]),
  );
  const hash = await hashPassword('bench-password-not-for-use');
  const people = [
    ...Array.from({ length: 25 }, (_, i) => ({ email: `responder${i + 1}@bench.local`, name: `Responder ${i + 1}`, role: 'responder' })),
    ...Array.from({ length: 3 }, (_, i) => ({ email: `cm${i + 1}@bench.local`, name: `Manager ${i + 1}`, role: 'community_manager' })),
    ...Array.from({ length: 2 }, (_, i) => ({ email: `marketing${i + 1}@bench.local`, name: `Marketing ${i + 1}`, role: 'marketing' })),
    { email: 'admin@bench.local', name: 'Bench Admin', role: 'admin' },
  ];
  await database.db.execute(sql`
    insert into users (email, name, role, password_hash) select email, name, role, ${hash} from ${recordset(people, 'email text, name text, role text')}
    on conflict (email) do nothing`);
  const users = await database.rows<{ id: number | string; role: string }>(sql`select id, role from users where email like '%@bench.local'`);
  return {
    streams,
    responders: users.filter((u) => u.role === 'responder').map((u) => Number(u.id)),
    managers: users.filter((u) => u.role === 'community_manager').map((u) => Number(u.id)),
  };
}

interface GenState {
  random: () => number;
  now: number;
  days: number;
  openShare: number;
  nextPost: number;
  nextCase: number;
  nextAuthor: number;
  authorsWanted: number;
  packs: CompiledPack[];
  setup: Setup;
  /** Author ids by number, created as they first write. */
  authorIds?: Map<number, number>;
  postsMade: number;
  casesMade: number;
}

/** The seeded authors by their number (bench-<n>), from any platform: top-ups and bench:ingest reuse them. */
async function authorIds(database: Database): Promise<Map<number, number>> {
  const rows = await database.rows<{ id: number | string; platform_user_id: string }>(
    sql`select id, platform_user_id from authors where platform_user_id like 'bench-%' order by id`,
  );
  const out = new Map<number, number>();
  for (const r of rows) {
    const n = Number(r.platform_user_id.slice('bench-'.length));
    if (Number.isInteger(n) && !out.has(n)) out.set(n, Number(r.id));
  }
  return out;
}

type Row = Record<string, unknown>;
interface Chunk {
  authors: Row[];
  posts: Row[];
  analyses: Row[];
  flags: Row[];
  cases: Row[];
  replies: Row[];
  notes: Row[];
  audit: Row[];
  alerts: Row[];
  snapshots: Row[];
  volumes: ReturnType<typeof volumeCounts>;
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function generate(s: GenState, n: number): Chunk {
  const r = s.random;
  const c: Chunk = { authors: [], posts: [], analyses: [], flags: [], cases: [], replies: [], notes: [], audit: [], alerts: [], snapshots: [], volumes: [] };
  const recent: Array<{ analysis: ReturnType<typeof analyzeDetailed>; postedAt: Date }> = [];
  for (let i = 0; i < n; i++) {
    const id = s.nextPost++;
    s.postsMade++;
    const platform = r() < PLATFORMS[0].share ? PLATFORMS[0] : r() < 0.5 ? PLATFORMS[1] : PLATFORMS[2];
    // A few authors write a lot: the square of a uniform number favours the low indexes.
    const authorIndex = Math.floor(s.authorsWanted * r() * r());
    let authorId = s.authorIds!.get(authorIndex);
    const handle = `${pick(r, FIRST)}_${pick(r, LAST)}${authorIndex}`;
    if (authorId === undefined) {
      authorId = s.nextAuthor++;
      s.authorIds!.set(authorIndex, authorId);
      c.authors.push({
        id: authorId,
        platform: platform.name,
        platform_user_id: `bench-${authorIndex}`,
        handle,
        display_name: handle.replace(/_/g, ' ').replace(/\d+$/, ''),
        followers: Math.floor(10 ** (1 + r() * 4)),
        verified: r() < 0.02,
      });
    }
    const ageMs = r() * s.days * DAY;
    const postedAt = new Date(s.now - ageMs);
    const own = r() < 0.04;
    const followUp = !own && r() < 0.15;
    const sample = own ? undefined : followUp ? pick(r, FOLLOW_UPS) : sampleOf(r);
    const extra = pick(r, EXTRAS)
      .replace('{n}', String(Math.floor(r() * 90_000) + 10_000))
      .replace('{d}', String(1 + Math.floor(r() * 9)));
    let text = own ? pick(r, OWN) : `${sample!.text}${extra ? ` ${extra}` : ''}`;
    if (sample?.cyr || (sample?.lang === 'sr' && r() < 0.4)) text = latinToCyrillic(text).replace(/@ВедраТел/g, '@VedraTel');
    const platformPostId = platform.name === 'x' ? `18${String(id).padStart(17, '0')}` : String(id);
    const conversationId = followUp ? `thread-${authorIndex}-${Math.floor(r() * 3)}` : platformPostId;
    const metrics = { likes: Math.floor(r() * r() * 40), reposts: Math.floor(r() * r() * 8), replies: Math.floor(r() * 5), quotes: Math.floor(r() * r() * 3) };
    c.posts.push({
      id,
      platform: platform.name,
      platform_post_id: platformPostId,
      stream_id: s.setup.streams[platform.name],
      author_id: authorId,
      url: platform.url(platformPostId, handle),
      text,
      posted_at: postedAt,
      conversation_id: conversationId,
      is_own: own,
      metrics,
      metrics_at: new Date(postedAt.getTime() + Math.min(ageMs, 3 * DAY) * r()),
      raw: {
        id: platformPostId,
        text,
        author_id: `bench-${authorIndex}`,
        created_at: postedAt.toISOString(),
        conversation_id: conversationId,
        lang: sample?.lang ?? 'hr',
        public_metrics: { like_count: metrics.likes, retweet_count: metrics.reposts, reply_count: metrics.replies, quote_count: metrics.quotes },
      },
    });
    const d = analyzeDetailed(text, { toBrand: true });
    c.analyses.push({
      post_id: id,
      analyzer_version: ANALYZER_VERSION,
      language: d.language,
      language_confidence: d.languageConfidence,
      sentiment: d.sentiment,
      negative: d.negative,
      complaint: d.complaint,
      is_complaint: d.isComplaint,
      is_question: d.isQuestion,
      categories: d.categories,
      evidence: d.evidence,
    });
    if (!own && ageMs < 8 * DAY) recent.push({ analysis: d, postedAt });
    if (own) continue;
    const o = evaluate(s.packs, d, {
      platform: platform.name,
      stream: 'mentions',
      text,
      isOwn: false,
      isRepost: false,
      followers: 100,
      verified: false,
      engagement: 5,
      engagementPerHour: 0.5,
      authorComplaintTimes: [],
      now: new Date(s.now),
    });
    if (o.ignored || !o.flags.length) continue;
    for (const f of o.flags)
      c.flags.push({
        post_id: id,
        pack: f.pack,
        rule_id: f.ruleId,
        category: f.category ?? null,
        reason: f.reason,
        evidence: f.evidence,
        created_at: postedAt,
      });
    addCase(s, c, { postId: id, platform: platform.name, postedAt, ageMs, outcome: o, searchText: `${foldForSearch(text)} @${handle.toLowerCase()}` });
  }
  c.volumes = volumeCounts(recent, new Date(s.now));
  return c;
}

/** A case and what people did with it: the older, the likelier resolved; a backlog stays. */
function addCase(
  s: GenState,
  c: Chunk,
  p: { postId: number; platform: string; searchText: string; postedAt: Date; ageMs: number; outcome: ReturnType<typeof evaluate> },
): void {
  const r = s.random;
  const id = s.nextCase++;
  const o = p.outcome;
  // Recent cases are three times likelier to be unresolved than the year's average; older ones
  // less so, but never all resolved (the backlog every team has).
  // The share of cases left unresolved keeps the whole history at `openShare` of its posts.
  s.casesMade++;
  const weight = p.ageMs < 30 * DAY ? 3 : 0.82;
  const unresolved = r() < ((s.openShare * s.postsMade) / s.casesMade) * weight;
  const createdAt = new Date(p.postedAt.getTime() + 20_000 + r() * 60_000);
  const due = firstResponseDue(o.priority, p.postedAt);
  const resolveDue = resolutionDue(o.priority, p.postedAt);
  const responder = pick(r, s.setup.responders);
  let status: string;
  let assignee: number | null = null;
  let firstResponseAt: Date | null = null;
  let resolvedAt: Date | null = null;
  let snoozedUntil: Date | null = null;
  let falseAlarm = false;
  let team = o.team;
  const answerAfter = (0.1 + r() * r() * 2) * (due.getTime() - p.postedAt.getTime());
  if (unresolved) {
    const x = r();
    status = x < 0.55 ? 'open' : x < 0.7 ? 'claimed' : x < 0.82 ? 'replied' : x < 0.9 ? 'snoozed' : 'escalated';
    if (status === 'claimed' || status === 'replied' || status === 'snoozed') assignee = responder;
    if (status === 'replied') firstResponseAt = new Date(p.postedAt.getTime() + answerAfter);
    if (status === 'snoozed' && r() < 0.5) snoozedUntil = new Date(s.now + r() * 3 * DAY);
    if (status === 'escalated') team = pick(r, ['billing', 'tech', 'legal']);
  } else {
    status = 'resolved';
    assignee = responder;
    falseAlarm = r() < 0.08;
    if (!falseAlarm && r() < 0.95) firstResponseAt = new Date(Math.min(s.now - 60_000, p.postedAt.getTime() + answerAfter));
    resolvedAt = new Date(Math.min(s.now - 30_000, (firstResponseAt ?? createdAt).getTime() + r() * 2 * DAY));
  }
  const updatedAt = resolvedAt ?? firstResponseAt ?? createdAt;
  c.cases.push({
    id,
    post_id: p.postId,
    status,
    priority: o.priority,
    priority_components: o.components,
    category: o.category ?? null,
    reason: [...new Set(o.flags.map((f) => f.reason))].join(' '),
    team,
    templates: o.templates,
    assignee_id: assignee,
    claimed_at: assignee ? createdAt : null,
    snoozed_until: snoozedUntil,
    due_at: due,
    first_response_at: firstResponseAt,
    resolve_due_at: resolveDue,
    resolved_at: resolvedAt,
    false_alarm: falseAlarm,
    search_text: p.searchText,
    created_at: createdAt,
    updated_at: updatedAt,
  });
  if (assignee) c.audit.push({ at: createdAt, actor_user_id: assignee, action: 'case.claim', subject_type: 'case', subject_id: String(id), details: {} });
  if (firstResponseAt) {
    c.replies.push({
      case_id: id,
      user_id: assignee ?? responder,
      platform: p.platform,
      text: 'Pozdrav, žao nam je zbog neugodnosti. Provjeravamo i javljamo se. – Ana',
      idempotency_key: `${id}:bench`,
      status: 'sent',
      platform_reply_id: `r${id}`,
      attempts: 1,
      created_at: firstResponseAt,
      sent_at: firstResponseAt,
    });
    c.audit.push({
      at: firstResponseAt,
      actor_user_id: assignee ?? responder,
      action: 'reply.sent',
      subject_type: 'case',
      subject_id: String(id),
      details: {},
    });
  }
  if (resolvedAt)
    c.audit.push({
      at: resolvedAt,
      actor_user_id: assignee,
      action: 'case.resolve',
      subject_type: 'case',
      subject_id: String(id),
      details: falseAlarm ? { falseAlarm } : {},
    });
  if (r() < 0.05) c.notes.push({ case_id: id, user_id: pick(r, s.setup.managers), text: 'Provjereno s tehnikom, kvar je poznat.', created_at: createdAt });
  for (const audience of o.alerts)
    c.alerts.push({
      kind: 'rule',
      audience,
      case_id: id,
      dedup_key: `rule:${id}:${audience}`,
      title: `${o.category ?? 'complaint'} (priority ${o.priority})`,
      details: { priority: o.priority },
      status: unresolved ? 'open' : 'closed',
      created_at: createdAt,
    });
  if (due.getTime() < (firstResponseAt ?? new Date(s.now)).getTime() && r() < 0.5) {
    c.alerts.push({
      kind: 'sla',
      audience: 'community_manager',
      case_id: id,
      dedup_key: `sla:${id}:breach:${due.toISOString()}`,
      title: `SLA breached: case ${id}`,
      details: { dueAt: due.toISOString() },
      status: unresolved ? 'open' : 'acknowledged',
      created_at: due,
    });
  }
  if (unresolved && p.ageMs < 3 * DAY) {
    for (let k = 1; k <= 4; k++)
      c.snapshots.push({
        post_id: p.postId,
        at: new Date(p.postedAt.getTime() + (k * p.ageMs) / 5),
        metrics: { likes: k * 3, reposts: k, replies: k, quotes: 0 },
      });
  }
}

async function insert(database: Database, table: string, rows: Row[], columns: string, extra = ''): Promise<void> {
  if (!rows.length) return;
  const names = columns
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0])
    .join(', ');
  await database.db.execute(sql`insert into ${sql.raw(table)} (${sql.raw(names)}) ${sql.raw(extra)} select ${sql.raw(names)} from ${recordset(rows, columns)}`);
}

async function writeChunk(database: Database, c: Chunk): Promise<void> {
  const over = 'overriding system value';
  await insert(
    database,
    'authors',
    c.authors,
    'id bigint, platform text, platform_user_id text, handle text, display_name text, followers int, verified boolean',
    over,
  );
  await insert(
    database,
    'posts',
    c.posts,
    'id bigint, platform text, platform_post_id text, stream_id bigint, author_id bigint, url text, text text, posted_at timestamptz, conversation_id text, is_own boolean, metrics jsonb, metrics_at timestamptz, raw jsonb',
    over,
  );
  await insert(
    database,
    'analyses',
    c.analyses,
    'post_id bigint, analyzer_version text, language text, language_confidence float8, sentiment float8, negative boolean, complaint float8, is_complaint boolean, is_question boolean, categories jsonb, evidence jsonb',
  );
  await insert(database, 'flags', c.flags, 'post_id bigint, pack text, rule_id text, category text, reason text, evidence jsonb, created_at timestamptz');
  await insert(
    database,
    'cases',
    c.cases,
    'id bigint, post_id bigint, status text, priority int, priority_components jsonb, category text, reason text, team text, templates jsonb, assignee_id bigint, claimed_at timestamptz, snoozed_until timestamptz, due_at timestamptz, first_response_at timestamptz, resolve_due_at timestamptz, resolved_at timestamptz, false_alarm boolean, search_text text, created_at timestamptz, updated_at timestamptz',
    over,
  );
  await insert(
    database,
    'replies',
    c.replies,
    'case_id bigint, user_id bigint, platform text, text text, idempotency_key text, status text, platform_reply_id text, attempts int, created_at timestamptz, sent_at timestamptz',
  );
  await insert(database, 'case_notes', c.notes, 'case_id bigint, user_id bigint, text text, created_at timestamptz');
  await insert(database, 'audit_log', c.audit, 'at timestamptz, actor_user_id bigint, action text, subject_type text, subject_id text, details jsonb');
  if (c.alerts.length) {
    await database.db.execute(sql`
      insert into alerts (kind, audience, case_id, dedup_key, title, details, status, created_at, updated_at)
      select kind, audience, case_id, dedup_key, title, details, status, created_at, created_at
      from ${recordset(c.alerts, 'kind text, audience text, case_id bigint, dedup_key text, title text, details jsonb, status text, created_at timestamptz')}
      on conflict (dedup_key) do nothing`);
  }
  await insert(database, 'metric_snapshots', c.snapshots, 'post_id bigint, at timestamptz, metrics jsonb');
  if (c.volumes.length) {
    await database.db.execute(sql`
      insert into volume_buckets (key, bucket, count) select key, bucket, count from ${recordset(c.volumes, 'key text, bucket timestamptz, count int')}
      on conflict (key, bucket) do update set count = volume_buckets.count + excluded.count`);
  }
}

/** Ids were given explicitly: the identity sequences go on after the largest. */
async function fixSequences(database: Database): Promise<void> {
  for (const table of ['posts', 'cases', 'authors']) {
    await database.db.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`));
  }
}

async function main(): Promise<void> {
  const opts = options();
  const posts = count(opts, 'posts', 1_000_000);
  const bench = await benchDatabase(opts);
  try {
    say(`seeding ${bench.where} to ${posts} posts`);
    if (opts.has('reset')) {
      say('--reset: emptying the database first');
      await bench.database.db.execute(
        sql.raw(
          'truncate table alert_deliveries, metric_snapshots, volume_buckets, saved_views, sessions, case_viewers, case_notes, notices, alerts, backtests, audit_log, replies, cases, flags, analyses, posts, authors, api_tokens, users, streams, job_runs, login_failures restart identity cascade',
        ),
      );
    }
    const s = await seedTo(
      bench.database,
      { posts, ...(opts.has('open-cases') ? { openCases: count(opts, 'open-cases', 0) } : {}), days: count(opts, 'days', 365) },
      say,
    );
    result({ bench: 'seed', database: bench.database.kind, ...s, postsPerSecond: s.seconds > 0 ? round(s.added / s.seconds) : null });
  } finally {
    await bench.database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main().catch((e: Error & { cause?: Error }) => {
    // A failed statement's parameters are megabytes of JSON: say what went wrong, not all of it.
    say(`bench:seed failed: ${e.cause?.message ?? e.message.slice(0, 500)}`);
    process.exit(1);
  });
}

/**
 * Posts as a poll brings them: mostly new authors' and repeat authors' posts, some follow-ups in
 * stored threads, every one new (ids from `prefix`). For bench:ingest.
 */
export function incomingPosts(n: number, prefix: string, seed = 7, authorsStored = 200_000): NormalizedPost[] {
  const r = rng(seed);
  const out: NormalizedPost[] = [];
  for (let i = 0; i < n; i++) {
    const known = r() < 0.5;
    const authorIndex = known ? Math.floor(authorsStored * r() * r()) : authorsStored + Math.floor(r() * 10 * n);
    const followUp = known && r() < 0.2;
    const sample = followUp ? pick(r, FOLLOW_UPS) : sampleOf(r);
    const extra = pick(r, EXTRAS)
      .replace('{n}', String(Math.floor(r() * 90_000) + 10_000))
      .replace('{d}', String(1 + Math.floor(r() * 9)));
    let text = `${sample.text}${extra ? ` ${extra}` : ''}`;
    if (sample.cyr) text = latinToCyrillic(text).replace(/@ВедраТел/g, '@VedraTel');
    const id = `${prefix}${i}`;
    const handle = `${pick(r, FIRST)}_${pick(r, LAST)}${authorIndex}`;
    const conversationId = followUp ? `thread-${authorIndex}-0` : id;
    const metrics = { likes: Math.floor(r() * 10), reposts: Math.floor(r() * 3), replies: Math.floor(r() * 3), quotes: 0 };
    out.push({
      platform: 'x',
      platformPostId: id,
      url: `https://x.com/${handle}/status/${id}`,
      author: {
        platformUserId: `bench-${authorIndex}`,
        handle,
        displayName: handle.replace(/_/g, ' '),
        followers: Math.floor(10 ** (1 + r() * 4)),
        verified: r() < 0.02,
      },
      text,
      postedAt: new Date(Date.now() - r() * 120_000),
      conversationId,
      isOwn: false,
      isRepost: false,
      metrics,
      raw: {
        id,
        text,
        author_id: `bench-${authorIndex}`,
        conversation_id: conversationId,
        public_metrics: { like_count: metrics.likes, retweet_count: metrics.reposts, reply_count: metrics.replies, quote_count: metrics.quotes },
      },
    });
  }
  return out;
}
