import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NormalizedPost, PollResult } from '../../adapters/types.ts';
import { alerts, analyses, auditLog, backtests, cases, flags, posts, streams } from '../../db/schema/index.ts';
import { buildDigest } from '../../src/alerts/digest.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { markGone } from '../../src/privacy/gone.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const post = (id: string, text: string, over: Partial<NormalizedPost> = {}): NormalizedPost => ({
  platform: 'replay',
  platformPostId: id,
  author: { platformUserId: `a-${id}`, handle: `user${id}`, followers: 120 },
  text,
  postedAt: new Date(),
  isOwn: false,
  isRepost: false,
  raw: { id, text },
  ...over,
});

async function stream() {
  const [s] = await h.deps.database.db.select().from(streams).where(eq(streams.name, 'demo'));
  return s!;
}
const countOf = async (table: typeof posts | typeof cases | typeof analyses | typeof flags) =>
  Number((await h.deps.database.db.select({ n: count() }).from(table))[0]!.n);

describe('ingest', () => {
  it('stores posts, analyses them, flags complaints into open cases and advances the cursor', async () => {
    const s = await stream();
    const result: PollResult = {
      cursor: 'c1',
      posts: [
        post('1', 'Internet opet ne radi, čekam od jutra! Sramota.'),
        post('2', 'Lijep dan danas u Splitu.'),
        post('3', 'Otkazujem ugovor i prelazim kod konkurencije!'),
      ],
    };
    const summary = await ingest(h.deps.database, h.deps.rulebook.current(), s, result);
    expect(summary).toMatchObject({ received: 3, stored: 3, duplicates: 0, flagged: 2 });
    expect(await countOf(analyses)).toBe(3);
    const open = await h.deps.database.db.select().from(cases).orderBy(cases.priority);
    expect(open.map((c) => c.status)).toEqual(['open', 'open']);
    expect(open.at(-1)!.category).toBe('churn');
    expect(open.at(-1)!.priorityComponents).toMatchObject({ churn: 15 });
    expect((await stream()).cursor).toBe('c1');
  });

  it('stores a neighbour-language post with its language named, findable, and opens no case for it', async () => {
    const s = await stream();
    const posts: NormalizedPost[] = [
      post('21', 'Seit einer Woche kein Internet, und bei der Hotline geht keiner ran. Frechheit!'),
      post('22', 'Internet ne radi već tjedan dana, sramota!'),
    ];
    const summary = await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'n1', posts });
    expect(summary).toMatchObject({ stored: 2, flagged: 1 });
    const read = await h.deps.database.db
      .select({ language: analyses.language, guess: analyses.languageGuess, complaint: analyses.isComplaint })
      .from(analyses)
      .orderBy(analyses.postId);
    expect(read).toEqual([
      { language: 'other', guess: 'de', complaint: false },
      { language: 'hr', guess: null, complaint: true },
    ]);
  });

  it('stores a post delivered twice once, and never opens a second case for it', async () => {
    const s = await stream();
    const p = post('9', 'My internet is not working for three days, terrible service');
    await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'a', posts: [p] });
    const again = await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'b', posts: [p, { ...p }] });
    expect(again).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await countOf(posts)).toBe(1);
    expect(await countOf(cases)).toBe(1);
    expect((await stream()).cursor).toBe('b');
  });

  it('keeps neither posts nor cursor when the transaction fails half-way', async () => {
    const s = await stream();
    const good = post('10', 'Terrible, nothing works');
    // A post the database refuses (a trigger stands in for a lost connection or a full disk) after a
    // good one: the whole batch rolls back.
    await h.deps.database.rows(
      sql`create function refuse_11() returns trigger language plpgsql as $$ begin if new.platform_post_id = '11' then raise exception 'refused'; end if; return new; end $$`,
    );
    await h.deps.database.rows(sql`create trigger refuse_11 before insert on posts for each row execute function refuse_11()`);
    const bad = post('11', 'Still broken');
    await expect(ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'after', posts: [good, bad] })).rejects.toThrow();
    await h.deps.database.rows(sql`drop trigger refuse_11 on posts`);
    await h.deps.database.rows(sql`drop function refuse_11()`);
    expect(await countOf(posts)).toBe(0);
    expect(await countOf(cases)).toBe(0);
    expect((await stream()).cursor).toBeNull();
  });

  it('mends what the database cannot store (a NUL, a lone surrogate) instead of failing the batch forever', async () => {
    const s = await stream();
    const odd = post('12', 'Internet ne radi\u0000, sramota! \uD83D', {
      author: { platformUserId: 'a-12', handle: 'user12', displayName: 'Ana \uDC00', followers: 5 },
      raw: { id: '12', text: 'x\u0000', 'k\u0000': ['\uD800'] },
    });
    const summary = await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'mended', posts: [odd, post('13', 'Otkazujem ugovor!')] });
    expect(summary).toMatchObject({ stored: 2, flagged: 2 });
    const [row] = await h.deps.database.db.select().from(posts).where(eq(posts.platformPostId, '12'));
    expect(row!.text).toBe('Internet ne radi\uFFFD, sramota! \uFFFD');
    expect(row!.raw).toEqual({ id: '12', text: 'x\uFFFD', 'k\uFFFD': ['\uFFFD'] });
    expect((await stream()).cursor).toBe('mended');
  });

  it('sets a post of the wrong shape aside in the audit log, naming what is wrong, and stores the rest', async () => {
    const s = await stream();
    // What a platform changing a field's type would hand over (the adapter's types cannot stop it).
    const odd = { ...post('14', 'x'), text: 42, postedAt: new Date('not a date') } as unknown as NormalizedPost;
    const summary = await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 'past-odd',
      posts: [post('15', 'Internet ne radi, sramota!'), odd, post('16', 'Otkazujem ugovor!')],
    });
    expect(summary).toMatchObject({ received: 3, stored: 2, rejected: 1, flagged: 2 });
    expect((await stream()).cursor).toBe('past-odd');
    const [entry] = await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'post.rejected'));
    expect(entry).toMatchObject({ subjectType: 'stream', subjectId: String(s.id) });
    const details = entry!.details as { platformPostId: string; issues: Array<{ path: string }>; raw: unknown };
    expect(details.platformPostId).toBe('14');
    expect(details.issues.map((i) => i.path).sort()).toEqual(['postedAt', 'text']);
    expect(details.raw).toEqual({ id: '14', text: 'x' });
    // Read again (polls overlap a little): set aside once.
    expect(await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'again', posts: [odd] })).toMatchObject({
      received: 1,
      stored: 0,
      rejected: 0,
    });
    expect(await h.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'post.rejected'))).toHaveLength(1);
  });

  it('reads every post as written to the brand: a search hit naming it without its @handle is flagged', async () => {
    const s = await stream();
    const summary = await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 'search',
      posts: [post('17', 'Vedra internet down again in Split')],
    });
    expect(summary.flagged).toBe(1);
    const [a] = await h.deps.database.db.select().from(analyses);
    expect(a!.isComplaint).toBe(true);
  });

  it('forgets the words of a post its author deleted: text, payload, evidence, and the quotes in alerts and backtests', async () => {
    const s = await stream();
    const words = 'Internet ne radi tri dana, sramota, otkazujem!';
    await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'f', posts: [post('40', words), post('41', 'Otkazujem ugovor, sramota!')] });
    const [p40, p41] = await h.deps.database.db.select().from(posts).orderBy(posts.platformPostId);
    const [c40] = await h.deps.database.db.select().from(cases).where(eq(cases.postId, p40!.id));
    const sample = (p: typeof p40) => ({ postId: p!.id, caseId: null, handle: 'x', text: p!.text, url: null });
    await h.deps.database.db.insert(alerts).values([
      {
        kind: 'viral',
        audience: 'marketing',
        caseId: c40!.id,
        dedupKey: 'viral:t',
        title: `Complaint going viral (score 70) from @user40: ${words}`,
        details: { score: 70, caseId: c40!.id, text: words },
      },
      { kind: 'spike', audience: 'marketing', dedupKey: 'spike:t', title: 'Spike: 2 complaints about churn', details: { samples: [sample(p40), sample(p41)] } },
    ]);
    await h.deps.database.db.insert(backtests).values({
      packName: 'default',
      packText: 'x',
      since: new Date(0),
      status: 'done',
      result: { examples: { newlyFlagged: [sample(p40)], noLongerFlagged: [] } },
    });
    // Marketing's daily digest quotes the worst-handled cases, this one among them.
    // (Read a week on, when both cases are overdue and so among the worst.)
    const digest = await buildDigest(
      h.deps.database,
      { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000), label: 'today' },
      new Date(Date.now() + 7 * 86_400_000),
    );
    expect(digest.summary).toContain('tri dana');
    await h.deps.database.db
      .insert(alerts)
      .values({ kind: 'digest', audience: 'marketing', dedupKey: 'digest:t', title: digest.title, details: digest.details, status: 'closed' });

    expect(await markGone(h.deps.database, 'replay', ['40'], new Date())).toBe(1);
    const [after] = await h.deps.database.db.select().from(posts).where(eq(posts.id, p40!.id));
    expect(after).toMatchObject({ text: '', raw: {} });
    expect(after!.goneAt).toBeInstanceOf(Date);
    expect((await h.deps.database.db.select().from(analyses).where(eq(analyses.postId, p40!.id)))[0]!.evidence).toEqual({});
    for (const f of await h.deps.database.db.select().from(flags).where(eq(flags.postId, p40!.id))) expect(f.evidence).toEqual([]);
    // Nothing that quoted it still does; the other post's words stay.
    const stored = JSON.stringify([await h.deps.database.db.select().from(alerts), await h.deps.database.db.select().from(backtests)]);
    expect(stored).not.toContain('tri dana');
    expect(stored).toContain('Otkazujem ugovor, sramota!');
    // The search finds the case by its author still, no longer by the words.
    const [searched] = await h.deps.database.db.select({ searchText: cases.searchText }).from(cases).where(eq(cases.id, c40!.id));
    expect(searched!.searchText).toBe('@user40');
    const [viral] = await h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'viral'));
    expect(viral!.title).toBe('Complaint going viral (score 70) from @user40: (deleted by its author)');
    expect(viral!.details).toEqual({ score: 70, caseId: c40!.id });
    const [day] = await h.deps.database.db.select().from(alerts).where(eq(alerts.kind, 'digest'));
    expect(day!.details.summary).toMatch(new RegExp(`  #${c40!.id} p\\d+ \\S+ @\\S+ \\([^)]*\\): \\(deleted by its author\\)`));
    // The other post keeps its words and evidence.
    expect((await h.deps.database.db.select().from(posts).where(eq(posts.id, p41!.id)))[0]!.text).toBe('Otkazujem ugovor, sramota!');
  });

  it('takes a deleted edit for its whole chain: every version of the post is gone and forgotten', async () => {
    const s = await stream();
    await ingest(h.deps.database, h.deps.rulebook.current(), s, { cursor: 'e1', posts: [post('50', 'Internet ne radi, sramota!')] });
    await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 'e2',
      posts: [post('51', 'Internet ne radi od jutra, sramota!', { editOf: ['50'] })],
    });
    // X reports the newest version deleted; the first version goes with it.
    expect(await markGone(h.deps.database, 'replay', ['51'], new Date())).toBe(2);
    const rows = await h.deps.database.db.select().from(posts).orderBy(posts.platformPostId);
    expect(rows.map((r) => [r.platformPostId, r.text, r.goneAt !== null])).toEqual([
      ['50', '', true],
      ['51', '', true],
    ]);
    expect(await markGone(h.deps.database, 'replay', ['50'], new Date())).toBe(0);
  });

  it("never flags the brand's own posts or plain reposts", async () => {
    const s = await stream();
    await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 'x',
      posts: [post('20', 'Outage tonight, terrible, sorry!', { isOwn: true }), post('21', 'RT @a: internet ne radi, sramota', { isRepost: true })],
    });
    expect(await countOf(posts)).toBe(2);
    expect(await countOf(cases)).toBe(0);
  });

  it('keeps the evidence on every flag', async () => {
    const s = await stream();
    await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 'x',
      posts: [post('30', 'Paket nije stigao već dvije sedmice, niko se ne javlja!')],
    });
    const f = await h.deps.database.db.select().from(flags);
    expect(f.length).toBeGreaterThan(0);
    expect(f.map((x) => x.ruleId)).toContain('delivery-returns');
    expect(f.find((x) => x.ruleId === 'delivery-returns')!.evidence.join(' ')).toMatch(/paket|nije stigao/);
  });

  it('counts earlier complaints of the same author (third complaint this week)', async () => {
    const s = await stream();
    const author = { platformUserId: 'same', handle: 'same', followers: 50 };
    for (const [i, text] of ['Internet ne radi, užas!', 'I dalje ne radi internet, sramota!', 'Treći put pišem, internet ne radi, katastrofa!'].entries()) {
      await ingest(h.deps.database, h.deps.rulebook.current(), s, {
        cursor: `c${i}`,
        posts: [post(`4${i}`, text, { author, postedAt: new Date(Date.now() - (3 - i) * 3600_000) })],
      });
    }
    const repeat = await h.deps.database.db.select().from(flags).where(eq(flags.ruleId, 'repeat-complainer'));
    expect(repeat).toHaveLength(1);
  });

  it('counts a thread of posts, or a complaint and its edit, as one complaint', async () => {
    const s = await stream();
    const author = { platformUserId: 'threader', handle: 'threader', followers: 50 };
    const at = (h: number) => new Date(Date.now() - h * 3600_000);
    // One complaint told in three posts of one thread…
    for (const [i, text] of ['Internet ne radi, užas!', 'Već treći dan ne radi, sramota!', 'I TV ne radi, katastrofa!'].entries()) {
      await ingest(h.deps.database, h.deps.rulebook.current(), s, {
        cursor: `t${i}`,
        posts: [post(`5${i}`, text, { author, conversationId: '50', postedAt: at(5 - i) })],
      });
    }
    // …and another, then its corrected version (an edit: a new id at X).
    await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 't3',
      posts: [post('60', 'Račun je opet pogrešan, sramota!', { author, postedAt: at(2) })],
    });
    await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 't4',
      posts: [post('61', 'Račun je opet pogrešan, naplatili ste dvaput, sramota!', { author, editOf: ['60'], postedAt: at(1) })],
    });
    const repeat = await h.deps.database.db.select().from(flags).innerJoin(posts, eq(posts.id, flags.postId)).where(eq(flags.ruleId, 'repeat-complainer'));
    expect(repeat.filter((r) => r.posts.platformPostId.startsWith('5') || r.posts.platformPostId.startsWith('6'))).toHaveLength(0);
    // A third complaint in a thread of its own is the third.
    await ingest(h.deps.database, h.deps.rulebook.current(), s, {
      cursor: 't5',
      posts: [post('70', 'Dostava kasni tjedan dana, nitko se ne javlja!', { author, postedAt: at(0) })],
    });
    const third = await h.deps.database.db.select().from(flags).innerJoin(posts, eq(posts.id, flags.postId)).where(eq(flags.ruleId, 'repeat-complainer'));
    expect(third.map((r) => r.posts.platformPostId)).toContain('70');
  });

  it('stores a batch exactly as it would store the same posts one by one (threads, edits, repeat complaints, duplicates)', async () => {
    const at = (min: number) => new Date(Date.now() - min * 60_000);
    const ana = { platformUserId: 'ana', handle: 'ana', followers: 80 };
    const ivo = { platformUserId: 'ivo', handle: 'ivo', followers: 20 };
    const earlier = [post('100', 'Račun mi je pogrešan, sramota!', { author: ivo, conversationId: '100', postedAt: at(300) })];
    const batch: NormalizedPost[] = [
      post('101', 'Internet ne radi od jutra, užas!', { author: ana, conversationId: '101', postedAt: at(60) }),
      // A follow-up in the thread an earlier post of this batch opens: it joins that case.
      post('102', 'I dalje ne radi, javite se!', { author: ana, conversationId: '101', inReplyToId: '101', postedAt: at(50) }),
      // An edit of a post of this batch: one complaint, in its first version's thread.
      post('103', 'Dostava kasni tjedan dana, sramota!', { author: ana, conversationId: '103', postedAt: at(40) }),
      post('104', 'Dostava kasni tjedan dana, nitko se ne javlja, sramota!', { author: ana, editOf: ['103'], postedAt: at(39) }),
      // Ana's third complaint this week, in a thread of its own.
      post('105', 'TV ne radi, treći put pišem, katastrofa!', { author: ana, postedAt: at(30) }),
      // The customer of a resolved case writes again: it reopens.
      post('106', 'Opet je račun pogrešan!', { author: ivo, conversationId: '100', postedAt: at(20) }),
      post('101', 'Internet ne radi od jutra, užas!', { author: ana, conversationId: '101', postedAt: at(60) }),
      post('107', 'Hvala na strpljenju, radimo na tome.', { isOwn: true, conversationId: '101', postedAt: at(10) }),
    ];
    const snapshot = async () => {
      const db = h.deps.database.db;
      const ps = await db.select().from(posts).orderBy(posts.platformPostId);
      const byId = new Map(ps.map((p) => [p.id, p.platformPostId]));
      const cs = await db.select().from(cases).orderBy(cases.id);
      const fs = await db.select().from(flags).orderBy(flags.id);
      return {
        posts: ps.map((p) => ({
          id: p.platformPostId,
          conversation: p.conversationId,
          editOf: p.editOfPostId === null ? null : byId.get(p.editOfPostId),
          own: p.isOwn,
        })),
        cases: cs.map((c) => ({ post: byId.get(c.postId), status: c.status, priority: c.priority, category: c.category, reason: c.reason })),
        flags: fs.map((f) => `${byId.get(f.postId)} ${f.ruleId}`).sort(),
        analyses: Number((await db.select({ n: count() }).from(analyses))[0]!.n),
        reopened: (await db.select().from(auditLog).where(eq(auditLog.action, 'case.reopen'))).length,
      };
    };
    const setUp = async () => {
      await ingest(h.deps.database, h.deps.rulebook.current(), await stream(), { cursor: 'e', posts: earlier });
      await h.deps.database.db.update(cases).set({ status: 'resolved', resolvedAt: new Date() });
    };
    await setUp();
    const summaries = [];
    for (const [i, p] of batch.entries())
      summaries.push(await ingest(h.deps.database, h.deps.rulebook.current(), await stream(), { cursor: `one-${i}`, posts: [p] }));
    const oneByOne = await snapshot();
    await h.reset();
    await setUp();
    const summary = await ingest(h.deps.database, h.deps.rulebook.current(), await stream(), { cursor: 'all', posts: batch });
    const together = await snapshot();
    expect(together).toEqual(oneByOne);
    // What the scenario is about really happened.
    expect(oneByOne.cases.map((c) => c.post)).toEqual(['100', '101', '103', '105']);
    expect(oneByOne.cases[0]!.status).toBe('open');
    expect(oneByOne.posts.find((p) => p.id === '104')).toMatchObject({ editOf: '103', conversation: '103' });
    expect(oneByOne.flags).toContain('105 repeat-complainer');
    expect(oneByOne.reopened).toBe(1);
    expect(summary).toMatchObject({ received: 8, stored: 7, duplicates: 1, flagged: 3 });
    expect(summary.reopened).toHaveLength(3);
    expect(summaries.reduce((n, s) => n + s.reopened.length, 0)).toBe(3);
  });
});
