import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { recordset } from '../../db/bulk.ts';
import type { Database, Executor } from '../../db/client.ts';
import { alerts, analyses, authors, cases, posts, volumeBuckets } from '../../db/schema/index.ts';
import {
  describeKey,
  dominantCategory,
  findIncident,
  historyRanges,
  keyRank,
  MIN_COUNT,
  SEASON_DAYS,
  type SpikeAnalysis,
  type SpikeVerdict,
  spikeTest,
  volumeKeys,
  WINDOW_MINUTES,
} from '../../rules/signals/spike.ts';

/** An incident keeps growing (one alert that updates) while its keys spike within this time. */
const INCIDENT_GAP_MS = 30 * 60_000;

/**
 * What a batch of newly stored posts adds to the complaint volumes: one count per post, key and
 * minute (post time), summed, so a batch of any size is one upsert. Old posts (a backfill) and
 * clock-skewed future ones are not part of "now".
 */
export function volumeCounts(items: Iterable<{ analysis: SpikeAnalysis; postedAt: Date }>, now: Date): Array<{ key: string; bucket: Date; count: number }> {
  const counts = new Map<string, { key: string; bucket: Date; count: number }>();
  const oldest = now.getTime() - (SEASON_DAYS + 1) * 86_400_000;
  for (const { analysis, postedAt } of items) {
    if (postedAt.getTime() < oldest || postedAt.getTime() > now.getTime() + 300_000) continue;
    const minute = Math.floor(postedAt.getTime() / 60_000) * 60_000;
    for (const key of volumeKeys(analysis)) {
      const id = `${key}\u0000${minute}`;
      const c = counts.get(id);
      if (c) c.count++;
      else counts.set(id, { key, bucket: new Date(minute), count: 1 });
    }
  }
  return [...counts.values()];
}

/** Adds counts to the volume buckets in one statement (in the ingest transaction). */
export async function addVolumes(tx: Executor, counts: ReturnType<typeof volumeCounts>): Promise<void> {
  if (!counts.length) return;
  await tx.execute(sql`
    insert into volume_buckets (key, bucket, count)
    select key, bucket, count from ${recordset(counts, 'key text, bucket timestamptz, count int')}
    on conflict (key, bucket) do update set count = volume_buckets.count + excluded.count`);
}

interface Spike extends SpikeVerdict {
  key: string;
}

interface IncidentDetails {
  [k: string]: unknown;
  keys: string[];
  primary: string;
  count: number;
  expected: number;
  threshold: number;
  windowStart: string;
  windowEnd: string;
  postIds: number[];
  samples: Array<{ postId: number; caseId: number | null; handle: string; text: string; url: string | null }>;
  /** What most of its posts are about, when they agree (`category:billing`). */
  category?: string;
}

/**
 * Compares the last minutes of every key with its history (spike.ts) and raises or updates one
 * spike alert per incident for marketing: keys whose posts overlap (an outage is a keyword, a
 * category and a language at once) join the same incident. Returns the number of new alerts.
 */
export async function detectSpikes(database: Database, now = new Date()): Promise<number> {
  const db = database.db;
  await db.delete(volumeBuckets).where(lt(volumeBuckets.bucket, new Date(now.getTime() - (SEASON_DAYS + 1) * 86_400_000)));
  const [first] = await database.rows<{ since: Date | string | null }>(sql`select min(bucket) as since from volume_buckets where key = 'all'`);
  if (!first?.since) return 0;
  const ranges = historyRanges(now.getTime(), new Date(first.since).getTime());
  const [start, end] = ranges.window.map((t) => new Date(t)) as [Date, Date];
  const candidates = await database.rows<{ key: string }>(sql`
    select key from volume_buckets where bucket >= ${start} and bucket < ${end} group by key having sum(count) >= ${MIN_COUNT}`);
  if (!candidates.length) return 0;

  const all = [ranges.window, ...ranges.seasonal, ...(ranges.recent ? [ranges.recent.range] : [])];
  const sums = sql.join(
    all.map(
      ([from, to], i) =>
        sql`coalesce(sum(count) filter (where bucket >= ${new Date(from)} and bucket < ${new Date(to)}), 0)::int as ${sql.identifier(`r${i}`)}`,
    ),
    sql`, `,
  );
  const history = await database.rows<Record<string, number | string>>(sql`
    select key, ${sums} from volume_buckets
    where key in (${sql.join(
      candidates.map((c) => sql`${c.key}`),
      sql`, `,
    )}) and bucket >= ${new Date(Math.min(...all.map((r) => r[0])))} and bucket < ${end}
    group by key`);
  const spikes: Spike[] = [];
  for (const row of history) {
    const n = (i: number) => Number(row[`r${i}`] ?? 0);
    const verdict = spikeTest({
      count: n(0),
      seasonalSpan: ranges.seasonal.map((_, i) => n(1 + i)),
      recentPerWindow: ranges.recent ? n(1 + ranges.seasonal.length) / ranges.recent.windows : null,
    });
    if (verdict.spike) spikes.push({ key: String(row.key), ...verdict });
  }
  if (!spikes.length) return 0;
  spikes.sort((a, b) => keyRank(a.key) - keyRank(b.key) || b.z - a.z);

  // The posts of the window, keyed the same way, so each alert can say which posts it is about.
  const windowPosts = await db
    .select({
      id: posts.id,
      text: posts.text,
      url: posts.url,
      handle: authors.handle,
      caseId: cases.id,
      language: analyses.language,
      isComplaint: analyses.isComplaint,
      categories: analyses.categories,
      evidence: analyses.evidence,
    })
    .from(posts)
    .innerJoin(analyses, eq(analyses.postId, posts.id))
    .innerJoin(authors, eq(authors.id, posts.authorId))
    .leftJoin(cases, eq(cases.postId, posts.id))
    .where(and(gte(posts.postedAt, start), lt(posts.postedAt, end), eq(analyses.isComplaint, true), eq(posts.isOwn, false), eq(posts.isRepost, false)))
    .limit(5_000);
  const postsByKey = new Map<string, Array<(typeof windowPosts)[number] & { keys: string[] }>>();
  for (const p of windowPosts) {
    const keyed = { ...p, keys: volumeKeys(p) };
    for (const k of keyed.keys) {
      const list = postsByKey.get(k);
      if (list) list.push(keyed);
      else postsByKey.set(k, [keyed]);
    }
  }

  const ongoing = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.kind, 'spike'), gte(alerts.updatedAt, new Date(now.getTime() - INCIDENT_GAP_MS))));
  // Incidents this run may grow: the ongoing ones (id) and the ones it opens (written at the end).
  type Incident = { id?: number; details: IncidentDetails; startedAt: number; severity: 'normal' | 'urgent'; changed: boolean };
  const incidents: Incident[] = ongoing.map((a) => ({
    id: a.id,
    details: a.details as IncidentDetails,
    startedAt: a.createdAt.getTime(),
    severity: a.severity,
    changed: false,
  }));
  for (const s of spikes) {
    const mine = postsByKey.get(s.key) ?? [];
    const ids = new Set(mine.map((p) => p.id));
    const category = dominantCategory(mine.map((p) => p.keys));
    const same = findIncident(
      incidents.map((i) => ({ ...i.details, startedAt: i.startedAt, incident: i })),
      s.key,
      ids,
      { category, now: now.getTime() },
    )?.incident;
    if (same) {
      const d = same.details;
      const keys = [...new Set([...d.keys, s.key])].sort((a, b) => keyRank(a) - keyRank(b));
      const postIds = [...new Set([...d.postIds, ...ids])].slice(-200);
      const primaryNow = d.primary === s.key;
      same.details = {
        ...d,
        keys,
        postIds,
        ...(primaryNow ? { count: Math.max(d.count, s.count), expected: s.expected, threshold: s.threshold, windowEnd: end.toISOString() } : {}),
        samples: d.samples.length >= 5 ? d.samples : [...d.samples, ...samplesOf(mine.filter((p) => !d.samples.some((x) => x.postId === p.id)))].slice(0, 5),
      };
      if (same.details.count >= 2 * same.details.threshold) same.severity = 'urgent';
      same.changed = true;
      continue;
    }
    const details: IncidentDetails = {
      keys: [s.key],
      primary: s.key,
      count: s.count,
      expected: s.expected,
      threshold: s.threshold,
      windowStart: start.toISOString(),
      windowEnd: end.toISOString(),
      postIds: [...ids],
      samples: samplesOf(mine),
      ...(category ? { category } : {}),
    };
    incidents.push({ details, startedAt: now.getTime(), severity: s.count >= 2 * s.threshold ? 'urgent' : 'normal', changed: true });
  }
  // One statement for the incidents that grew, one for the new ones, however many keys spiked.
  const grown = incidents
    .filter((i) => i.id !== undefined && i.changed)
    .map((i) => ({ id: i.id, details: i.details, title: titleOf(i.details), severity: i.severity }));
  if (grown.length) {
    await db.execute(sql`
      update alerts set details = g.details, title = g.title, severity = g.severity, updated_at = ${now}
      from ${recordset(grown, 'id bigint, details jsonb, title text, severity text', 'g')} where alerts.id = g.id`);
  }
  const opened = incidents
    .filter((i) => i.id === undefined)
    .map((i) => ({ dedup_key: `spike:${i.details.primary}:${start.toISOString()}`, title: titleOf(i.details), details: i.details, severity: i.severity }));
  if (!opened.length) return 0;
  const rows = await database.rows<{ id: number | string }>(sql`
    insert into alerts (kind, audience, dedup_key, title, details, severity, created_at, updated_at)
    select 'spike', 'marketing', dedup_key, title, details, severity, ${now}, ${now} from ${recordset(opened, 'dedup_key text, title text, details jsonb, severity text')}
    on conflict (dedup_key) do nothing
    returning id`);
  return rows.length;
}

function samplesOf(rows: Array<{ id: number; caseId: number | null; handle: string; text: string; url: string | null }>): IncidentDetails['samples'] {
  return rows.slice(0, 5).map((p) => ({ postId: p.id, caseId: p.caseId, handle: p.handle, text: p.text.slice(0, 200), url: p.url }));
}

function titleOf(d: IncidentDetails): string {
  const also = d.keys.filter((k) => k !== d.primary).map(describeKey);
  return `Spike: ${d.count} complaints about ${describeKey(d.primary)} in ${WINDOW_MINUTES} min (usually ${d.expected})${also.length ? `; also ${also.slice(0, 4).join(', ')}` : ''}`.slice(
    0,
    300,
  );
}
