import { and, asc, eq, gt, gte, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { analyses, authors, cases, posts, streams } from '../../db/schema/index.ts';
import { type CompiledPack, historyDaysFor } from '../../rules/index.ts';
import { earlierComplaintTimes, type StoredComplaint } from '../ingest/complaint-history.ts';
import { engagementPerHour } from '../ingest/ingest.ts';
import { BacktestStopped, BacktestThread, type Budget, DEFAULT_BUDGET, type PageItem, type Verdict } from './thread.ts';

const PAGE = 500;
const EXAMPLES = 5;

export interface BacktestExample {
  postId: number;
  text: string;
  category: string | null;
  rules: string[];
}

export interface BacktestResult {
  since: string;
  posts: number;
  flaggedNow: number;
  flaggedWithCandidate: number;
  newlyFlagged: number;
  noLongerFlagged: number;
  /** Per category: how many posts would be newly flagged (+) or no longer flagged (−) with it. */
  byCategory: Record<string, { added: number; removed: number }>;
  /** Per rule (pack/rule): how often it fires now and with the candidate. */
  byRule: Record<string, { now: number; candidate: number }>;
  examples: { newlyFlagged: BacktestExample[]; noLongerFlagged: BacktestExample[] };
  /**
   * The candidate measured against what people did with the cases: posts resolved as false alarms
   * it would still flag, and posts someone answered (they needed a person) it would no longer flag.
   */
  labels: { falseAlarms: number; falseAlarmsStillFlagged: number; answered: number; answeredNoLongerFlagged: number };
}

/** The packs in force with the candidate in place of the pack of the same name (or added). */
export function withCandidate(live: readonly CompiledPack[], candidate: CompiledPack): CompiledPack[] {
  const out = live.filter((p) => p.name !== candidate.name);
  out.push(candidate);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

const flagged = (o: Verdict) => !o.ignored && o.flags.length > 0;

/**
 * Replays stored posts since `since` through the packs in force and through a candidate set,
 * and reports what would change. Reads only: no flag, case or alert is written. The posts are
 * read here and judged in a worker thread within `budget`; `onProgress` answering false cancels.
 */
export async function runBacktest(
  database: Database,
  live: readonly CompiledPack[],
  candidate: readonly CompiledPack[],
  since: Date,
  onProgress?: (processed: number, total: number) => void | boolean | Promise<void | boolean>,
  budget: Budget = DEFAULT_BUDGET,
): Promise<BacktestResult> {
  const thread = await BacktestThread.start(live, candidate, budget);
  try {
    return await replay(database, thread, live, candidate, since, onProgress);
  } finally {
    await thread.stop();
  }
}

async function replay(
  database: Database,
  thread: BacktestThread,
  live: readonly CompiledPack[],
  candidate: readonly CompiledPack[],
  since: Date,
  onProgress?: (processed: number, total: number) => void | boolean | Promise<void | boolean>,
): Promise<BacktestResult> {
  const { db } = database;
  const total = await db.$count(posts, gte(posts.postedAt, since));
  // Author history: complaint times per author from the stored analyses, reaching back before `since`.
  const historyFrom = new Date(since.getTime() - historyDaysFor([...live, ...candidate]) * 86_400_000);
  const complaintRows = await db
    .select({
      authorId: posts.authorId,
      at: posts.postedAt,
      thread: sql<string>`coalesce(${posts.conversationId}, ${posts.platformPostId})`,
      editOf: posts.editOfPostId,
    })
    .from(posts)
    .innerJoin(analyses, eq(analyses.postId, posts.id))
    .where(and(gte(posts.postedAt, historyFrom), eq(analyses.isComplaint, true)));
  const complaintsBy = new Map<number, StoredComplaint[]>();
  for (const r of complaintRows) {
    const list = complaintsBy.get(r.authorId);
    if (list) list.push(r);
    else complaintsBy.set(r.authorId, [r]);
  }

  const result: BacktestResult = {
    since: since.toISOString(),
    posts: 0,
    flaggedNow: 0,
    flaggedWithCandidate: 0,
    newlyFlagged: 0,
    noLongerFlagged: 0,
    byCategory: {},
    byRule: {},
    examples: { newlyFlagged: [], noLongerFlagged: [] },
    labels: { falseAlarms: 0, falseAlarmsStillFlagged: 0, answered: 0, answeredNoLongerFlagged: 0 },
  };
  const bump = (key: string, field: 'now' | 'candidate') => {
    const e = (result.byRule[key] ??= { now: 0, candidate: 0 });
    e[field]++;
  };
  const cat = (key: string) => (result.byCategory[key] ??= { added: 0, removed: 0 });
  const example = (postId: number, text: string, o: Verdict): BacktestExample => ({
    postId,
    text: text.length > 200 ? `${text.slice(0, 199)}…` : text,
    category: o.category ?? null,
    rules: o.flags.map((f) => `${f.pack}/${f.ruleId}`),
  });

  // Posts whose words odziv no longer keeps (deleted, erased, past retention) have nothing to
  // replay: read as empty, every one would count as "no longer flagged".
  let lastId = 0;
  for (;;) {
    const page = await db
      .select({ post: posts, author: authors, streamName: streams.name })
      .from(posts)
      .innerJoin(authors, eq(authors.id, posts.authorId))
      .leftJoin(streams, eq(streams.id, posts.streamId))
      .where(and(gte(posts.postedAt, since), gt(posts.id, lastId), ne(posts.text, '')))
      .orderBy(asc(posts.id))
      .limit(PAGE);
    if (!page.length) break;
    const outcomes = new Map(
      (
        await db
          .select({
            postId: cases.postId,
            falseAlarm: sql<boolean>`bool_or(${cases.falseAlarm})`,
            answered: sql<boolean>`bool_or(${cases.firstResponseAt} is not null)`,
          })
          .from(cases)
          .where(
            inArray(
              cases.postId,
              page.map((r) => r.post.id),
            ),
          )
          .groupBy(cases.postId)
      ).map((o) => [o.postId, o]),
    );
    const items: PageItem[] = page.map(({ post, author, streamName }) => {
      const m = post.metrics;
      return {
        text: post.text,
        facts: {
          platform: post.platform,
          stream: streamName ?? undefined,
          text: post.text,
          isOwn: post.isOwn,
          isRepost: post.isRepost,
          followers: author.followers,
          verified: author.verified,
          engagement: m ? m.likes + m.reposts + m.replies + m.quotes : 0,
          engagementPerHour: engagementPerHour({ metrics: m ?? undefined, postedAt: post.postedAt }, post.ingestedAt),
          authorComplaintTimes: earlierComplaintTimes(complaintsBy.get(author.id) ?? [], post.conversationId ?? post.platformPostId, post.postedAt),
          now: post.postedAt,
        },
      };
    });
    const judged = await thread.judge(items);
    for (const [i, { post }] of page.entries()) {
      lastId = post.id;
      const { now, candidate: cand } = judged[i]!;
      result.posts++;
      for (const f of now.ignored ? [] : now.flags) bump(`${f.pack}/${f.ruleId}`, 'now');
      for (const f of cand.ignored ? [] : cand.flags) bump(`${f.pack}/${f.ruleId}`, 'candidate');
      const a = flagged(now);
      const b = flagged(cand);
      if (a) result.flaggedNow++;
      if (b) result.flaggedWithCandidate++;
      const said = outcomes.get(post.id);
      if (said?.falseAlarm) {
        result.labels.falseAlarms++;
        if (b) result.labels.falseAlarmsStillFlagged++;
      } else if (said?.answered) {
        result.labels.answered++;
        if (!b) result.labels.answeredNoLongerFlagged++;
      }
      if (!a && b) {
        result.newlyFlagged++;
        cat(cand.category ?? 'uncategorized').added++;
        if (result.examples.newlyFlagged.length < EXAMPLES) result.examples.newlyFlagged.push(example(post.id, post.text, cand));
      } else if (a && !b) {
        result.noLongerFlagged++;
        cat(now.category ?? 'uncategorized').removed++;
        if (result.examples.noLongerFlagged.length < EXAMPLES) result.examples.noLongerFlagged.push(example(post.id, post.text, now));
      }
    }
    if ((await onProgress?.(result.posts, total)) === false) throw new BacktestStopped('cancelled');
  }
  return result;
}

/** The candidate against people's verdicts, in a sentence (undefined before anyone resolved a flagged post). */
export function describeLabels(l: BacktestResult['labels'] | undefined): string | undefined {
  if (!l || (!l.falseAlarms && !l.answered)) return undefined;
  return `against people's verdicts: of ${l.falseAlarms} posts resolved as false alarms it still flags ${l.falseAlarmsStillFlagged}; of ${l.answered} posts someone answered it no longer flags ${l.answeredNoLongerFlagged}`;
}

/** "7d", "24h", "90m" or an ISO date → the moment it names. */
export function parseSince(value: string, now = new Date()): Date {
  const m = /^(\d{1,4})([dhm])$/.exec(value.trim());
  if (m) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`since: expected a duration such as 7d, 24h, 90m or an ISO date, got "${value}"`);
  return d;
}
