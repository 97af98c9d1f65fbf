import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../fakes/graph-server.ts';
import { useOdzivProcess } from '../helpers/odziv-process.ts';
import { waitFor } from '../helpers/process.ts';

const TOKEN = 'EAAGe2ePageAccessTokenForOdziv01';
const SECRET = '00112233445566778899aabbccddeeff';
const VERIFY = 'e2e-verify-token';

/**
 * odziv as a process, set up as README "Facebook and Instagram" says, against a fake Graph API:
 * webhooks and polls overlap and every comment is stored once; a negative Croatian comment becomes
 * a case, is answered under the comment once and privately once, and is hidden; a dead Page token
 * turns the stream failing and alerts community managers.
 */
describe('odziv watching a Facebook Page and its Instagram account (a fake Graph API on loopback)', () => {
  let g: FakeGraph;
  const odziv = useOdzivProcess('meta', () => ({
    META_PAGE_ID: g.pageId,
    META_PAGE_ACCESS_TOKEN: TOKEN,
    META_APP_SECRET: SECRET,
    META_VERIFY_TOKEN: VERIFY,
    META_IG_USER_ID: g.igUserId,
    META_GRAPH_BASE_URL: g.url,
    META_POLL_INTERVAL_SEC: '2',
  }));

  beforeAll(async () => {
    g = await new FakeGraph(TOKEN, SECRET).listen();
  });
  afterAll(() => g.close());

  it('takes comments by webhook and poll once each, answers in the thread and privately once, hides, and alerts on a dead token', async () => {
    const promo = g.addPost('Black Friday: 500 Mbit za 25 €');
    const people = Array.from({ length: 12 }, (_, i) => ({ id: String(61550000002000 + i), name: `Kupac ${i}` }));
    const comments = people.map((p, i) =>
      g.addComment(promo.id, i % 3 ? `Internet ne radi već ${i + 1} dana, nitko se ne javlja, sramota!` : 'Super akcija, hvala!', p),
    );
    const media = g.addMedia('Nova kolekcija');
    const igComment = g.addIgComment(media.id, 'Paket kasni dva tjedna i nitko ne odgovara na poruke!', { id: '17841499990001', username: 'ana.kovac' });
    const { base, headers: h } = await odziv.start();
    const running = odziv.running!;

    // Meta's subscription check, then half the comments pushed (twice, the second batch out of order) while the polls read them all.
    const check = await fetch(`${base}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=4242`);
    expect(await check.text()).toBe('4242');
    const push = async (platform: string, body: unknown) => {
      const signed = g.signed(body);
      const res = await fetch(`${base}/webhooks/${platform}`, { method: 'POST', headers: signed.headers, body: signed.body });
      expect(res.status).toBe(200);
    };
    for (const c of comments.slice(0, 6)) await push('facebook', g.feedDelivery(c));
    for (const c of comments.slice(0, 6).reverse()) await push('facebook', g.feedDelivery(c));
    await push('instagram', g.igDelivery(igComment));

    type Streams = { streams: Array<{ platform: string; name: string; posts: number; lastError: string | null }> };
    const count = async (platform: string) =>
      ((await (await fetch(`${base}/api/streams`, { headers: h })).json()) as Streams).streams
        .filter((s) => s.platform === platform)
        .reduce((n, s) => n + s.posts, 0);
    await waitFor(
      'every comment',
      async () => ((await count('facebook')) >= comments.length && (await count('instagram')) >= 1 ? true : undefined),
      120_000,
      250,
    );
    type CaseList = { cases: Array<{ id: number; post: { platform: string; platformPostId: string; text: string } }> };
    const open = (await (await fetch(`${base}/api/cases?status=open&limit=50`, { headers: h })).json()) as CaseList;
    const ids = open.cases.map((c) => c.post.platformPostId);
    expect(new Set(ids).size).toBe(ids.length);
    // One case per comment (the thanks too: praise is worth a thank-you), whichever way it came.
    expect(
      open.cases
        .filter((c) => c.post.platform === 'facebook')
        .map((c) => c.post.platformPostId)
        .sort(),
    ).toEqual(comments.map((c) => c.id).sort());
    expect(ids).toContain(igComment.id);

    // A negative Croatian comment: claimed, answered under it once, privately once, and hidden.
    const target = open.cases.find((c) => c.post.platformPostId === comments[1]!.id)!;
    expect((await fetch(`${base}/api/cases/${target.id}/claim`, { method: 'POST', headers: h })).status).toBe(200);
    const reply = () =>
      fetch(`${base}/api/cases/${target.id}/replies`, {
        method: 'POST',
        headers: { ...h, 'idempotency-key': 'meta-e2e-public' },
        body: JSON.stringify({ text: 'Kupac 1, žao nam je, tehničar dolazi danas. – Admin' }),
      });
    expect((await reply()).status).toBe(202);
    expect((await reply()).status).toBe(200);
    const privately = await fetch(`${base}/api/cases/${target.id}/replies`, {
      method: 'POST',
      headers: { ...h, 'idempotency-key': 'meta-e2e-private' },
      body: JSON.stringify({ text: 'Pošaljite nam broj ugovora ovdje, riješit ćemo odmah. – Admin', private: true }),
    });
    expect(privately.status).toBe(202);
    const again = await fetch(`${base}/api/cases/${target.id}/replies`, {
      method: 'POST',
      headers: { ...h, 'idempotency-key': 'meta-e2e-private-2' },
      body: JSON.stringify({ text: 'Još jednom privatno', private: true }),
    });
    expect(again.status).toBe(409);
    const hide = await fetch(`${base}/api/cases/${target.id}/moderation`, {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ action: 'hide', reason: 'Traži osobne podatke u komentaru' }),
    });
    expect(hide.status).toBe(202);
    await waitFor(
      'the reply, the private reply and the hide at Meta',
      async () => (g.posted.length >= 1 && g.messages.length >= 1 && g.fbComments.get(comments[1]!.id)!.hidden ? true : undefined),
      120_000,
      200,
    );
    // A few more outbox runs in which a second copy could go out.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(g.posted).toEqual([expect.objectContaining({ platform: 'facebook', on: comments[1]!.id })]);
    expect(g.messages).toEqual([expect.objectContaining({ commentId: comments[1]!.id })]);
    const detail = (await (await fetch(`${base}/api/cases/${target.id}`, { headers: h })).json()) as {
      status: string;
      replies: Array<{ status: string; private: boolean }>;
      moderations: Array<{ action: string; status: string }>;
    };
    expect(detail.status).toBe('replied');
    expect(detail.replies.map((r) => `${r.private}:${r.status}`).sort()).toEqual(['false:sent', 'true:sent']);
    expect(detail.moderations).toEqual([expect.objectContaining({ action: 'hide', status: 'done' })]);

    // The Page admin changes their password: the token dies. The stream says so and community managers are told at once.
    g.tokenExpired = true;
    const failing = await waitFor(
      'the failing stream',
      async () =>
        ((await (await fetch(`${base}/api/streams`, { headers: h })).json()) as Streams).streams.find(
          (s) => s.platform === 'facebook' && s.lastError?.startsWith('credentials:'),
        ),
      120_000,
      250,
    );
    expect(failing.lastError).toContain('META_PAGE_ACCESS_TOKEN no longer works');
    const alerted = await waitFor(
      'the stream alert',
      async () =>
        ((await (await fetch(`${base}/api/alerts`, { headers: h })).json()) as { alerts: Array<{ kind: string; title: string }> }).alerts.find(
          (a) => a.kind === 'stream' && a.title.includes('facebook/comments'),
        ),
      120_000,
      250,
    );
    expect(alerted.title).toContain('has been failing since');

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    for (const secret of [TOKEN, SECRET, VERIFY]) expect(running.output()).not.toContain(secret);
  }, 400_000);
});
