import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, analyses, auditLog, authors, caseNotes, cases, flags, posts, replies } from '../../db/schema/index.ts';
import { audit } from '../../src/audit.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  ({ h } = await demoHarness(600_000));
});
afterAll(() => h.close());

type Detail = { id: number; author: { handle: string; displayName: string | null }; post: { id: number; platform: string; text: string } };

describe('erasure at a customer’s request', () => {
  it('removes their words, handle, name and id from everything odziv keeps, and leaves the rest as it was', async () => {
    const admin = await h.user('admin');
    const responder = await h.user('responder', 'Marko');
    const list = (await (await h.request('GET', '/api/cases?status=open&limit=200', { token: responder.token })).json()) as {
      cases: Array<{ id: number; author: { handle: string } }>;
    };
    // A customer with a full name, and someone else whose case must stay as it is.
    const details = await Promise.all(
      list.cases.map(async (c) => (await (await h.request('GET', `/api/cases/${c.id}`, { token: responder.token })).json()) as Detail),
    );
    const everyone = await h.deps.database.db.select().from(authors);
    const unique = (handle: string) => everyone.filter((a) => a.handle === handle).length === 1;
    const theirs = details.find((d) => (d.author.displayName ?? '').length >= 5 && unique(d.author.handle))!;
    const other = details.find((d) => d.author.handle !== theirs.author.handle)!;
    const { handle, displayName } = theirs.author;
    const author = everyone.find((a) => a.handle === handle);

    // What odziv's people and jobs wrote about them.
    expect((await h.request('POST', `/api/cases/${theirs.id}/claim`, { token: responder.token })).status).toBe(200);
    expect(
      (
        await h.request('POST', `/api/cases/${theirs.id}/notes`, {
          token: responder.token,
          json: { text: `Called ${displayName} (@${handle}) back; promised a refund.` },
        })
      ).status,
    ).toBe(201);
    const sent = await h.request('POST', `/api/cases/${theirs.id}/replies`, {
      token: responder.token,
      json: { text: `@${handle} Pozdrav, žao nam je, provjeravamo.` },
      headers: { 'idempotency-key': 'erase-1' },
    });
    expect(sent.status).toBe(202);
    await h.deliver();
    await h.deps.database.db.insert(alerts).values([
      {
        kind: 'viral',
        audience: 'marketing',
        caseId: theirs.id,
        dedupKey: 'viral:erase',
        title: `Complaint going viral (score 70) from @${handle}: ${theirs.post.text.slice(0, 120)}`,
        details: { score: 70, caseId: theirs.id, text: theirs.post.text },
      },
      {
        kind: 'spike',
        audience: 'marketing',
        dedupKey: 'spike:erase',
        title: 'Spike: 2 complaints',
        details: {
          samples: [
            { postId: theirs.post.id, caseId: theirs.id, handle, text: theirs.post.text, url: null },
            { postId: other.post.id, caseId: other.id, handle: other.author.handle, text: other.post.text, url: null },
          ],
        },
      },
    ]);
    await audit(h.deps.database.db, {
      actorUserId: null,
      action: 'post.rejected',
      subjectType: 'stream',
      subjectId: 1,
      details: {
        platformPostId: 'odd-1',
        issues: [{ path: 'text', message: 'expected a string' }],
        raw: { author: { id: author!.platformUserId, username: handle } },
      },
    });

    const erased = await h.request('POST', '/api/privacy/erasures', {
      token: admin.token,
      json: { platform: theirs.post.platform, handle: `@${handle.toUpperCase()}` },
    });
    expect(erased.status).toBe(200);
    const result = (await erased.json()) as { authorId: number; pseudonym: string; posts: number; cases: number };
    expect(result).toMatchObject({ authorId: author!.id, pseudonym: `erased-${author!.id}` });
    expect(result.posts).toBeGreaterThanOrEqual(1);
    expect(result.cases).toBeGreaterThanOrEqual(1);

    // Nothing odziv keeps names or quotes them; other customers' own posts are theirs and stay.
    const db = h.deps.database.db;
    const kept = JSON.stringify([
      await db.select().from(authors),
      await db.select().from(posts).where(ne(posts.isOwn, false)),
      await db.select().from(posts).where(eq(posts.authorId, author!.id)),
      await db.select().from(analyses),
      await db.select().from(flags),
      await db.select().from(replies),
      await db.select().from(caseNotes),
      await db.select().from(alerts),
      await db.select().from(auditLog),
      // The search's copy of their words and handle (cases.search_text) goes too.
      await db.select().from(cases).where(eq(cases.id, theirs.id)),
    ]).toLowerCase();
    expect(kept).not.toContain(`@${handle.toLowerCase()}`);
    expect(kept).not.toContain(`"${handle.toLowerCase()}"`);
    expect(kept).not.toContain(displayName!.toLowerCase());
    expect(kept).not.toContain(JSON.stringify(author!.platformUserId).toLowerCase());
    expect(kept).not.toContain(theirs.post.text.slice(0, 40).toLowerCase());

    // The case still adds up, under the pseudonym, with what was done for them.
    const after = (await (await h.request('GET', `/api/cases/${theirs.id}`, { token: responder.token })).json()) as Detail & {
      replies: Array<{ text: string }>;
      notes: Array<{ text: string }>;
    };
    expect(after.author).toMatchObject({ handle: result.pseudonym, displayName: null });
    expect(after.replies[0]!.text).toContain(`@${result.pseudonym} Pozdrav, žao nam je, provjeravamo.`);
    expect(after.notes.map((n) => n.text)).toContain(`Called ${result.pseudonym} (@${result.pseudonym}) back; promised a refund.`);
    const [spike] = await db.select().from(alerts).where(eq(alerts.dedupKey, 'spike:erase'));
    expect((spike!.details.samples as Array<{ handle: string; text: string }>)[1]).toEqual(
      expect.objectContaining({ handle: other.author.handle, text: other.post.text }),
    );
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'author.erase'), eq(auditLog.subjectId, String(author!.id))));
    expect(entry!.details).toMatchObject({ pseudonym: result.pseudonym, posts: result.posts });
    expect((await db.select().from(cases).where(eq(cases.id, theirs.id)))[0]!.id).toBe(theirs.id);
  });

  it('is for admins, and says what is wrong with a request', async () => {
    const admin = await h.user('admin');
    const cm = await h.user('community_manager');
    expect((await h.request('POST', '/api/privacy/erasures', { token: cm.token, json: { platform: 'replay', handle: 'x' } })).status).toBe(403);
    const missing = await h.request('POST', '/api/privacy/erasures', { token: admin.token, json: { platform: 'replay', handle: 'nobody-by-this-name' } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('@nobody-by-this-name on replay');
    // The demo stream, like a platform over time, has two accounts that went by one handle.
    const everyone = await h.deps.database.db.select().from(authors);
    const shared = everyone.find((a) => everyone.filter((b) => b.handle === a.handle).length > 1)!;
    const twins = everyone.filter((a) => a.handle === shared.handle);
    const ambiguous = await h.request('POST', '/api/privacy/erasures', { token: admin.token, json: { platform: 'replay', handle: shared.handle } });
    expect(ambiguous.status).toBe(409);
    const message = ((await ambiguous.json()) as { message: string }).message;
    for (const t of twins) expect(message).toContain(t.platformUserId);
    const one = await h.request('POST', '/api/privacy/erasures', {
      token: admin.token,
      json: { platform: 'replay', handle: shared.handle, platformUserId: twins[1]!.platformUserId },
    });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { authorId: number }).authorId).toBe(twins[1]!.id);
    expect((await h.deps.database.db.select().from(authors).where(eq(authors.id, twins[0]!.id)))[0]!.handle).toBe(shared.handle);

    expect((await h.request('POST', '/api/privacy/erasures', { token: admin.token, json: { platform: 'replay' } })).status).toBe(400);
    const bad = await h.request('POST', '/api/privacy/erasures', { token: admin.token, json: { platform: 'myspace', handle: '' } });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { issues: Array<{ path: string; message: string }> }).issues.map((i) => i.path);
    expect(issues.sort()).toEqual(['handle', 'platform']);
  });
});
