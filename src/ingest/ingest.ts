import { sql } from 'drizzle-orm';
import { type NormalizedPost, NormalizedPostSchema, type PollResult, type StreamGap } from '../../adapters/types.ts';
import { idSet, recordset } from '../../db/bulk.ts';
import type { Database, Tx } from '../../db/client.ts';
import { ANALYZER_VERSION, type AnalysisDetail, analyzeDetailed, type CompiledPack, evaluate, historyDaysFor, type Outcome } from '../../rules/index.ts';
import { addVolumes, volumeCounts } from '../alerts/spikes.ts';
import { auditMany } from '../audit.ts';
import type { BusinessHours } from '../calendar/business-hours.ts';
import { zodIssues } from '../errors.ts';
import { firstResponseDue, resolutionDue } from '../queue/sla.ts';
import { scrub } from '../scrub.ts';
import { storable } from '../storable.ts';
import { earlierComplaintTimes, type StoredComplaint } from './complaint-history.ts';
import { joinThreads, type ThreadPost } from './threads.ts';

export interface IngestSummary {
  received: number;
  stored: number;
  duplicates: number;
  /** Posts of a shape ingest cannot store (a field missing or of the wrong type), newly set aside in the audit log. */
  rejected: number;
  flagged: number;
  ignored: number;
  caseIds: number[];
  /** Cases a follow-up post joined (reopened when they were no longer waiting). */
  reopened: number[];
  alerts: Array<{ caseId: number; audience: string }>;
  /** Stored posts whose words an edit under the same id replaced. */
  edited: number;
  /** Posts a rule asked to hide on their platform (queued for the worker). */
  hidden: number;
}

export interface IngestOptions {
  businessHours?: BusinessHours;
  /** Platforms whose adapter can hide a post: a rule's `hide` is queued only for these. */
  moderates?: ReadonlySet<string>;
}

/** Interactions per hour since posting; a floor of 15 minutes keeps a brand-new post from spiking. */
export function engagementPerHour(p: Pick<NormalizedPost, 'metrics' | 'postedAt'>, now: Date): number {
  const m = p.metrics;
  if (!m) return 0;
  const total = m.likes + m.reposts + m.replies + m.quotes;
  const hours = Math.max(0.25, (now.getTime() - p.postedAt.getTime()) / 3_600_000);
  return total / hours;
}

/** A post of the batch on its way in, in the order the platform gave it. */
interface Candidate {
  order: number;
  post: NormalizedPost;
  detail: AnalysisDetail;
  /** The first stored version when the post is an edit: stored before, or earlier in this batch. */
  first?: { id?: number; root?: Candidate; thread: string };
  postId?: number;
  authorId?: number;
}

/** The channel ingest notifies when cases open or reopen (payload: `{opened, reopened}`). */
export const CASES_CHANNEL = 'odziv_cases';

const postKey = (platform: string, id: string) => `${platform}\u0000${id}`;

/** The stream a batch came from (its platform names it in a gap's alert). */
export interface IngestStream {
  id: number;
  name: string;
  platform?: string;
}

/**
 * Stores a poll's posts and advances the stream's cursor in ONE transaction, so a crash either
 * keeps both or neither: a restart resumes from the cursor and a post delivered twice is stored
 * once (the database's unique key decides). New posts are analyzed, run through the rule packs,
 * and the flagged ones become open cases.
 *
 * Set-based: a batch of any size costs the same ~15 statements (authors, posts, analyses, flags,
 * volumes, thread joins, cases, alerts, cursor: each one multi-row statement), and what is per post
 * (analysis, rules) is CPU work. Where the outcome of a post depends on the posts before it in the
 * batch (an author's earlier complaints, a case an earlier post opened, an edit's first version),
 * that order is worked out here, as if the posts had been stored one by one.
 */
export async function ingest(
  database: Database,
  packs: readonly CompiledPack[],
  stream: IngestStream,
  result: PollResult,
  now: Date = new Date(),
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    received: result.posts.length,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    flagged: 0,
    ignored: 0,
    caseIds: [],
    reopened: [],
    alerts: [],
    edited: 0,
    hidden: 0,
  };
  // A NUL or a broken surrogate from the platform becomes U+FFFD, and a post of the wrong shape is
  // set aside in the audit log with what is wrong: either would otherwise fail every batch it is in.
  const rejected: Array<{ post: NormalizedPost; issues: ReturnType<typeof zodIssues> }> = [];
  const candidates: Candidate[] = [];
  const inBatch = new Map<string, Candidate>();
  for (const post of result.posts.map(storable)) {
    const check = NormalizedPostSchema.safeParse(post);
    if (!check.success) {
      rejected.push({ post, issues: zodIssues(check.error) });
      continue;
    }
    const key = postKey(post.platform, post.platformPostId);
    if (inBatch.has(key)) {
      summary.duplicates++;
      continue;
    }
    // Analysis is pure CPU work: done before the transaction to keep it short, and in slices, so
    // a batch of a thousand posts never holds the API's event loop for more than a few milliseconds.
    if (candidates.length % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    const c: Candidate = { order: candidates.length, post, detail: analyzeDetailed(post.text, { toBrand: true }) };
    inBatch.set(key, c);
    candidates.push(c);
  }

  await database.db.transaction(async (tx) => {
    summary.rejected = await setAside(database, tx, stream.id, rejected);
    if (candidates.length) {
      await findFirstVersions(database, tx, candidates, inBatch);
      await upsertAuthors(database, tx, candidates);
      // Edits whose first version is in this batch wait for its id.
      const stored = [
        ...(await insertPosts(
          database,
          tx,
          stream.id,
          candidates.filter((c) => !c.first?.root),
        )),
        ...(await insertPosts(
          database,
          tx,
          stream.id,
          candidates.filter((c) => c.first?.root),
        )),
      ].sort((a, b) => a.order - b.order);
      summary.duplicates += candidates.length - stored.length;
      summary.stored = stored.length;
      const storedNow = new Set(stored);
      summary.edited = await editInPlace(
        database,
        tx,
        candidates.filter((c) => c.post.editedInPlace && !storedNow.has(c)),
      );
      if (stored.length) await assessAll(database, tx, packs, stream.name, stored, now, opts, summary);
    }
    if (result.gap) await recordGap(tx, stream, result.gap);
    await tx.execute(sql`
      update streams set cursor = ${result.cursor}, last_poll_at = ${now}, last_success_at = ${now}, last_error = null, failing_since = null, posts_stored = posts_stored + ${summary.stored},
        rate_limit = ${result.rateLimit ? JSON.stringify({ remaining: result.rateLimit.remaining, resetAt: result.rateLimit.resetAt?.toISOString() }) : null}::jsonb
      where id = ${stream.id}`);
  });
  return summary;
}

/**
 * A span the platform can no longer serve is recorded with the cursor that moves past it (one
 * transaction: a crash cannot skip the span without a record): on the stream (its last 20) and as
 * an alert to community managers naming it, so someone can look on the platform.
 */
async function recordGap(tx: Tx, stream: IngestStream, gap: StreamGap): Promise<void> {
  const entry = JSON.stringify([{ ...gap, recordedAt: new Date().toISOString() }]);
  await tx.execute(sql`
    update streams set gaps = (select coalesce(jsonb_agg(g order by n), '[]'::jsonb)
      from (select g, n from jsonb_array_elements(gaps || ${entry}::jsonb) with ordinality as t(g, n) order by n desc limit 20) last)
    where id = ${stream.id}`);
  const title = `Stream ${stream.platform}/${stream.name} missed posts from ${gap.from} to ${gap.to}`.slice(0, 300);
  await tx.execute(sql`
    insert into alerts (kind, audience, dedup_key, title, details)
    values ('stream', 'community_manager', ${`gap:${stream.id}:${gap.from}`}, ${title}, ${JSON.stringify({ streamId: stream.id, ...gap })}::jsonb)
    on conflict do nothing`);
}

/** Posts that cannot be stored go to the audit log, once each (polls re-read a little of what they saw). */
async function setAside(
  database: Database,
  tx: Tx,
  streamId: number,
  rejected: Array<{ post: NormalizedPost; issues: ReturnType<typeof zodIssues> }>,
): Promise<number> {
  if (!rejected.length) return 0;
  const idOf = (p: NormalizedPost) => {
    const raw = (p as { platformPostId?: unknown }).platformPostId;
    return typeof raw === 'string' ? raw : null;
  };
  const ids = rejected.map((r) => idOf(r.post)).filter((id): id is string => id !== null);
  const known = new Set(
    ids.length
      ? (
          await database.rows<{ id: string }>(
            sql`select details->>'platformPostId' as id from audit_log where action = 'post.rejected' and subject_type = 'stream' and subject_id = ${String(streamId)}
                and details->>'platformPostId' in (select value from json_array_elements_text(${JSON.stringify(ids)}::json))`,
            tx,
          )
        ).map((r) => r.id)
      : [],
  );
  const fresh = rejected.filter((r) => {
    const id = idOf(r.post);
    if (id === null) return true;
    if (known.has(id)) return false;
    known.add(id);
    return true;
  });
  await auditMany(
    tx,
    fresh.map(({ post, issues }) => ({
      actorUserId: null,
      action: 'post.rejected',
      subjectType: 'stream',
      subjectId: streamId,
      details: { platformPostId: idOf(post), issues, raw: storable(post.raw ?? null) },
    })),
  );
  return fresh.length;
}

/**
 * An edit joins its first version's thread (and so its case); its words were counted once. The
 * first version is the earliest stored one, found in one query for the whole batch, or else the
 * oldest version that is in this batch itself.
 */
async function findFirstVersions(database: Database, tx: Tx, candidates: Candidate[], inBatch: Map<string, Candidate>): Promise<void> {
  const edits = candidates.filter((c) => c.post.editOf?.length);
  if (!edits.length) return;
  const wanted = edits.flatMap((c) => c.post.editOf!.map((id) => ({ platform: c.post.platform, id })));
  const rows = await database.rows<{ id: number | string; platform: string; platform_post_id: string; conversation_id: string | null }>(
    sql`select p.id, p.platform, p.platform_post_id, p.conversation_id from posts p
        where (p.platform, p.platform_post_id) in (select platform, id from ${recordset(wanted, 'platform text, id text', 'w')})`,
    tx,
  );
  const stored = new Map(rows.map((r) => [postKey(r.platform, r.platform_post_id), { id: Number(r.id), thread: r.conversation_id ?? r.platform_post_id }]));
  for (const c of edits) {
    const versions = c.post.editOf!.map((id) => postKey(c.post.platform, id));
    const earliest = versions
      .map((k) => stored.get(k))
      .filter((v) => v !== undefined)
      .sort((a, b) => a.id - b.id)[0];
    if (earliest) {
      c.first = earliest;
      continue;
    }
    const root = versions.map((k) => inBatch.get(k)).find((v) => v !== undefined && v !== c && !v.post.editOf?.length);
    if (root) c.first = { root, thread: root.post.conversationId ?? root.post.platformPostId };
  }
}

/** Every author of the batch, inserted or refreshed in one statement (the latest post's details win). */
async function upsertAuthors(database: Database, tx: Tx, candidates: Candidate[]): Promise<void> {
  const latest = new Map<string, NormalizedPost['author'] & { platform: string }>();
  for (const { post } of candidates) latest.set(postKey(post.platform, post.author.platformUserId), { ...post.author, platform: post.platform });
  const rows = [...latest.values()].map((a) => ({
    platform: a.platform,
    platform_user_id: a.platformUserId,
    handle: a.handle,
    display_name: a.displayName ?? null,
    followers: a.followers ?? null,
    verified: a.verified ?? false,
  }));
  // An author whose details are as stored is not written again (a follower count that moved by
  // under 5 % changes the reach score by less than a point): most posts come from known authors.
  const ids = await database.rows<{ id: number | string; platform: string; platform_user_id: string }>(
    sql`with input as (select * from ${recordset(rows, 'platform text, platform_user_id text, handle text, display_name text, followers int, verified boolean')}),
        written as (
          insert into authors (platform, platform_user_id, handle, display_name, followers, verified)
          select platform, platform_user_id, handle, display_name, followers, verified from input
          on conflict (platform, platform_user_id) do update set handle = excluded.handle, display_name = excluded.display_name,
            followers = coalesce(excluded.followers, authors.followers), verified = excluded.verified, updated_at = now()
          where (authors.handle, authors.display_name, authors.verified) is distinct from (excluded.handle, excluded.display_name, excluded.verified)
             or (excluded.followers is not null and (authors.followers is null or abs(excluded.followers - authors.followers) > authors.followers * 0.05))
          returning id, platform, platform_user_id)
        select id, platform, platform_user_id from written
        union all
        select a.id, a.platform, a.platform_user_id from input i join authors a on a.platform = i.platform and a.platform_user_id = i.platform_user_id`,
    tx,
  );
  const byKey = new Map(ids.map((r) => [postKey(r.platform, r.platform_user_id), Number(r.id)]));
  for (const c of candidates) c.authorId = byKey.get(postKey(c.post.platform, c.post.author.platformUserId));
}

/** Inserts the posts not stored yet (one statement); returns those it stored, with their ids. */
async function insertPosts(database: Database, tx: Tx, streamId: number, list: Candidate[]): Promise<Candidate[]> {
  if (!list.length) return [];
  const rows = list.map(({ post, first, authorId }) => ({
    platform: post.platform,
    platform_post_id: post.platformPostId,
    author_id: authorId,
    url: post.url ?? null,
    text: post.text,
    posted_at: post.postedAt,
    conversation_id: first ? first.thread : (post.conversationId ?? null),
    in_reply_to_id: post.inReplyToId ?? null,
    edit_of_post_id: first?.id ?? first?.root?.postId ?? null,
    is_own: post.isOwn,
    is_repost: post.isRepost,
    metrics: post.metrics ?? null,
    raw: post.raw ?? {},
  }));
  const ids = await database.rows<{ id: number | string; platform_post_id: string }>(
    sql`insert into posts (platform, platform_post_id, stream_id, author_id, url, text, posted_at, conversation_id, in_reply_to_id, edit_of_post_id, is_own, is_repost, metrics, metrics_at, raw)
        select platform, platform_post_id, ${streamId}, author_id, url, text, posted_at, conversation_id, in_reply_to_id, edit_of_post_id, is_own, is_repost,
               metrics, case when metrics is null then null else now() end, raw
        from ${recordset(rows, 'platform text, platform_post_id text, author_id bigint, url text, text text, posted_at timestamptz, conversation_id text, in_reply_to_id text, edit_of_post_id bigint, is_own boolean, is_repost boolean, metrics jsonb, raw jsonb')}
        on conflict (platform, platform_post_id) do nothing
        returning id, platform_post_id`,
    tx,
  );
  const byId = new Map(ids.map((r) => [r.platform_post_id, Number(r.id)]));
  const stored: Candidate[] = [];
  for (const c of list) {
    const id = byId.get(c.post.platformPostId);
    if (id === undefined) continue;
    c.postId = id;
    // The edit keeps its first version's thread, as stored.
    if (c.first) c.post = { ...c.post, conversationId: c.first.thread };
    stored.push(c);
  }
  return stored;
}

/**
 * A new version under the same id (Facebook's `verb: edited`) replaces the stored words, and the
 * case's search text with them; a post already gone stays forgotten (an edit delivered after its
 * deletion brings nothing back). One statement; the case history notes it.
 */
async function editInPlace(database: Database, tx: Tx, edits: Candidate[]): Promise<number> {
  if (!edits.length) return 0;
  const rows = edits.map((c) => ({ platform: c.post.platform, platform_post_id: c.post.platformPostId, text: c.post.text, raw: c.post.raw ?? {} }));
  const changed = await database.rows(
    sql`
    with e as (select * from ${recordset(rows, 'platform text, platform_post_id text, text text, raw jsonb')}),
    upd as (
      update posts p set text = e.text, raw = e.raw from e
      where p.platform = e.platform and p.platform_post_id = e.platform_post_id and p.gone_at is null and p.text is distinct from e.text
      returning p.id, p.text, p.author_id),
    cs as (
      update cases c set search_text = odziv_fold(upd.text) || ' @' || lower(a.handle), updated_at = now()
      from upd join authors a on a.id = upd.author_id where c.post_id = upd.id
      returning c.id, c.post_id)
    insert into audit_log (action, subject_type, subject_id, details)
    select 'post.edited', case when cs.id is null then 'post' else 'case' end, coalesce(cs.id, upd.id)::text, jsonb_build_object('postId', upd.id)
    from upd left join cs on cs.post_id = upd.id
    returning subject_id`,
    tx,
  );
  return changed.length;
}

/**
 * Analyses, rules, flags, volumes, thread joins, cases and rule alerts for the posts just stored,
 * each one statement for the whole batch.
 */
async function assessAll(
  database: Database,
  tx: Tx,
  packs: readonly CompiledPack[],
  streamName: string,
  stored: Candidate[],
  now: Date,
  opts: IngestOptions,
  summary: IngestSummary,
): Promise<void> {
  const bh = opts.businessHours;
  await tx.execute(sql`
    insert into analyses (post_id, analyzer_version, language, language_confidence, language_guess, sentiment, negative, complaint, is_complaint, is_question, categories, evidence)
    select post_id, ${ANALYZER_VERSION}, language, language_confidence, language_guess, sentiment, negative, complaint, is_complaint, is_question, categories, evidence
    from ${recordset(
      stored.map(({ postId, detail: d }) => ({
        post_id: postId,
        language: d.language,
        language_confidence: d.languageConfidence,
        language_guess: d.languageGuess ?? null,
        sentiment: d.sentiment,
        negative: d.negative,
        complaint: d.complaint,
        is_complaint: d.isComplaint,
        is_question: d.isQuestion,
        categories: d.categories,
        evidence: d.evidence,
      })),
      'post_id bigint, language text, language_confidence float8, language_guess text, sentiment float8, negative boolean, complaint float8, is_complaint boolean, is_question boolean, categories jsonb, evidence jsonb',
    )}`);

  // Rules read an author's earlier complaints only where a rule gets that far (most stop at an
  // earlier condition): each post is evaluated with a history that notes whether it was read, and
  // only the posts that read it are evaluated again, with the history of their authors alone.
  const evaluateWith = (c: Candidate, history: () => Date[]) => {
    const { post, detail } = c;
    const m = post.metrics;
    const facts = {
      platform: post.platform,
      stream: streamName,
      text: post.text,
      isOwn: post.isOwn,
      isRepost: post.isRepost,
      followers: post.author.followers ?? null,
      verified: post.author.verified ?? false,
      engagement: m ? m.likes + m.reposts + m.replies + m.quotes : 0,
      engagementPerHour: engagementPerHour(post, now),
      now,
    };
    let times: Date[] | undefined;
    return evaluate(
      packs,
      detail,
      Object.defineProperty(facts, 'authorComplaintTimes', { get: () => (times ??= history()), enumerable: true }) as typeof facts & {
        authorComplaintTimes: Date[];
      },
    );
  };
  const asked = new Set<number>();
  const outcomes = stored.map((c, i) =>
    evaluateWith(c, () => {
      asked.add(i);
      return [];
    }),
  );
  if (asked.size) {
    const history = await complaintHistory(
      database,
      tx,
      packs,
      [...asked].map((i) => stored[i]!),
      stored,
      now,
    );
    for (const i of asked) {
      const c = stored[i]!;
      const earlier = (history.get(c.authorId!) ?? []).filter((h) => h.postId !== c.postId && (h.order === undefined || h.order < c.order));
      outcomes[i] = evaluateWith(c, () => earlierComplaintTimes(earlier, c.post.conversationId ?? c.post.platformPostId, now));
    }
  }

  const flagRows = stored.flatMap((c, i) => {
    const o = outcomes[i]!;
    return o.ignored
      ? []
      : o.flags.map((f) => ({ post_id: c.postId, pack: f.pack, rule_id: f.ruleId, category: f.category ?? null, reason: f.reason, evidence: f.evidence }));
  });
  if (flagRows.length) {
    await tx.execute(sql`
      insert into flags (post_id, pack, rule_id, category, reason, evidence)
      select post_id, pack, rule_id, category, reason, evidence from ${recordset(flagRows, 'post_id bigint, pack text, rule_id text, category text, reason text, evidence jsonb')}`);
  }
  await addVolumes(
    tx,
    volumeCounts(
      stored.filter((c) => !c.post.isOwn && !c.post.isRepost && !c.first).map((c) => ({ analysis: c.detail, postedAt: c.post.postedAt })),
      now,
    ),
  );

  // The customer writing again in a case's thread reopens that case instead of opening another.
  const threadPosts: ThreadPost[] = stored.map((c, i) => ({
    order: c.order,
    postId: c.postId!,
    platform: c.post.platform,
    conversationId: c.post.conversationId ?? null,
    authorId: c.authorId!,
    postedAt: c.post.postedAt,
    joins: !c.post.isOwn && !c.post.isRepost,
    opens: !outcomes[i]!.ignored && outcomes[i]!.flags.length > 0,
  }));
  const threads = await joinThreads(database, tx, threadPosts, bh);
  for (const o of outcomes) if (o.ignored) summary.ignored++;

  const opening = stored.map((c, i) => ({ c, o: outcomes[i]!, i })).filter(({ i }) => threads.opens[i]);
  summary.flagged = opening.length;
  const caseIds = await openCases(database, tx, opening, now, bh);
  const alertRows: Array<Record<string, unknown>> = [];
  for (const { c, o } of opening) {
    const caseId = caseIds.get(c.postId!);
    if (caseId === undefined) continue;
    summary.caseIds.push(caseId);
    for (const audience of o.alerts) {
      alertRows.push(ruleAlert(caseId, audience, c.post, o));
      summary.alerts.push({ caseId, audience });
    }
  }
  // Posts that joined a case this batch opened learn its id only now.
  summary.reopened = threads.joined.map((j) => (typeof j === 'number' ? j : caseIds.get(j.openedBy))).filter((id): id is number => id !== undefined);
  // Inboxes on every web instance hear of it when the transaction commits (LISTEN/NOTIFY).
  if (summary.caseIds.length || summary.reopened.length) {
    await tx.execute(sql`select pg_notify(${CASES_CHANNEL}, ${JSON.stringify({ opened: summary.caseIds.length, reopened: summary.reopened.length })})`);
  }
  if (alertRows.length) {
    await tx.execute(sql`
      insert into alerts (kind, audience, case_id, dedup_key, title, details)
      select 'rule', audience, case_id, dedup_key, title, details from ${recordset(alertRows, 'audience text, case_id bigint, dedup_key text, title text, details jsonb')}
      on conflict (dedup_key) do nothing`);
  }
  // A rule's `hide` is queued for the worker (the platform is never called inside this transaction).
  const hides = stored
    .map((c, i) => ({ c, hide: outcomes[i]!.hide }))
    .filter(({ c, hide }) => hide && !c.post.isOwn && opts.moderates?.has(c.post.platform))
    .map(({ c, hide }) => ({ post_id: c.postId!, case_id: caseIds.get(c.postId!) ?? null, platform: c.post.platform, reason: hide!.reason, rule: hide!.rule }));
  if (hides.length) {
    await tx.execute(sql`
      insert into moderations (post_id, case_id, platform, action, reason, rule)
      select post_id, case_id, platform, 'hide', reason, rule from ${recordset(hides, 'post_id bigint, case_id bigint, platform text, reason text, rule text')}`);
    summary.hidden = hides.length;
  }
}

/**
 * Earlier complaints of the asking posts' authors, as far back as some rule reads them, in one query. Rows of this batch carry their order, so each post sees only those before it.
 */
async function complaintHistory(
  database: Database,
  tx: Tx,
  packs: readonly CompiledPack[],
  asking: Candidate[],
  stored: Candidate[],
  now: Date,
): Promise<Map<number, Array<StoredComplaint & { postId: number; order?: number }>>> {
  const out = new Map<number, Array<StoredComplaint & { postId: number; order?: number }>>();
  const days = historyDaysFor(packs);
  if (!days) return out;
  const since = new Date(now.getTime() - days * 86_400_000);
  const orderOf = new Map(stored.map((c) => [c.postId!, c.order]));
  const rows = await database.rows<{ id: number | string; author_id: number | string; at: Date | string; thread: string; edit_of: number | string | null }>(
    sql`select p.id, p.author_id, p.posted_at as at, coalesce(p.conversation_id, p.platform_post_id) as thread, p.edit_of_post_id as edit_of
        from posts p join analyses a on a.post_id = p.id
        where p.author_id in ${idSet([...new Set(asking.map((c) => c.authorId!))])} and a.is_complaint and p.posted_at >= ${since}`,
    tx,
  );
  for (const r of rows) {
    const authorId = Number(r.author_id);
    const postId = Number(r.id);
    const list = out.get(authorId) ?? [];
    list.push({ postId, order: orderOf.get(postId), at: new Date(r.at), thread: r.thread, editOf: r.edit_of === null ? null : Number(r.edit_of) });
    out.set(authorId, list);
  }
  return out;
}

/** Opens the cases of flagged posts in one statement; returns case ids by post id. */
async function openCases(
  database: Database,
  tx: Tx,
  opening: Array<{ c: Candidate; o: Outcome }>,
  now: Date,
  bh?: BusinessHours,
): Promise<Map<number, number>> {
  if (!opening.length) return new Map();
  const rows = opening.map(({ c, o }) => {
    const from = c.post.postedAt < now ? c.post.postedAt : now;
    return {
      post_id: c.postId,
      priority: o.priority,
      priority_components: o.components,
      category: o.category ?? null,
      reason: [...new Set(o.flags.map((f) => f.reason))].join(' '),
      team: o.team,
      templates: o.templates,
      text: c.post.text,
      handle: c.post.author.handle,
      due_at: firstResponseDue(o.priority, from, bh),
      resolve_due_at: resolutionDue(o.priority, from, bh),
    };
  });
  const ids = await database.rows<{ id: number | string; post_id: number | string }>(
    sql`insert into cases (post_id, status, priority, priority_components, category, reason, team, templates, due_at, resolve_due_at, search_text)
        select post_id, 'open', priority, priority_components, category, reason, team, templates, due_at, resolve_due_at, odziv_fold(text) || ' @' || lower(handle)
        from ${recordset(rows, 'post_id bigint, priority int, priority_components jsonb, category text, reason text, team text, templates jsonb, due_at timestamptz, resolve_due_at timestamptz, text text, handle text')}
        on conflict do nothing
        returning id, post_id`,
    tx,
  );
  return new Map(ids.map((r) => [Number(r.post_id), Number(r.id)]));
}

/** An alert intent from a rule, stored with the case. One per case and audience. */
function ruleAlert(caseId: number, audience: string, post: NormalizedPost, outcome: Outcome): Record<string, unknown> {
  return {
    audience,
    case_id: caseId,
    dedup_key: `rule:${caseId}:${audience}`,
    title: `${outcome.category ?? 'complaint'} (priority ${outcome.priority}) from @${post.author.handle}: ${outcome.reason ?? ''}`.slice(0, 300),
    details: { rules: outcome.flags.map((f) => `${f.pack}/${f.ruleId}`), priority: outcome.priority, platform: post.platform, url: post.url ?? null },
  };
}

/** Records a failed poll on the stream (its health), without touching its cursor. */
export async function recordPollFailure(database: Database, streamId: number, message: string, now: Date = new Date()): Promise<void> {
  await database.db.execute(sql`
    update streams set last_poll_at = ${now}, last_error = ${storable(scrub(message).slice(0, 500))}, failing_since = coalesce(failing_since, ${now}::timestamptz) where id = ${streamId}`);
}
