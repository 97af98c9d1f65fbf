import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, authors, backtests, cases, posts, streams, users } from '../../db/schema/index.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { markGone } from '../../src/privacy/gone.ts';
import { bucketLabel } from '../../src/queue/stats.ts';
import { demoHarness } from '../helpers/clock-replay.ts';
import type { Harness } from '../helpers/harness.ts';

let h: Harness;
let user: Awaited<ReturnType<Harness['user']>>;
beforeAll(async () => {
  ({ h } = await demoHarness(60_000));
  user = await h.user('responder', 'Ana Horvat');
});
afterAll(() => h.close());

/** A new user of the role, logged in: the cookie header and the form token. */
async function signIn(role: Parameters<Harness['user']>[0], name: string) {
  const u = await h.user(role, name);
  const { res, session } = await login(JSON.stringify({ email: u.email, password: 'correct horse battery staple' }), 'application/json');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { headers: { cookie: `odziv_session=${session}` }, csrfToken };
}

async function login(body: string, type: string) {
  const res = await h.app.request('/auth/login', { method: 'POST', body, headers: { 'content-type': type } });
  const cookie = res.headers.get('set-cookie') ?? '';
  return { res, cookie, session: /odziv_session=([^;]+)/.exec(cookie)?.[1] };
}

describe('browser sessions', () => {
  it('logs in with a form, sets an HttpOnly SameSite cookie, and needs the CSRF token for changes', async () => {
    const { res, cookie, session } = await login(
      new URLSearchParams({ email: user.email, password: 'correct horse battery staple' }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { cookie: `odziv_session=${session}` };
    expect((await h.app.request('/api/cases', { headers })).status).toBe(200);
    const list = (await (await h.app.request('/api/cases?status=open', { headers })).json()) as { cases: Array<{ id: number }> };
    const claim = `/api/cases/${list.cases[0]!.id}/claim`;
    expect((await h.app.request(claim, { method: 'POST', headers })).status).toBe(403);
    expect((await h.app.request(claim, { method: 'POST', headers: { ...headers, 'x-csrf-token': 'forged' } })).status).toBe(403);
    expect((await h.app.request(claim, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } })).status).toBe(200);
    // A form post carries it as a field.
    const note = await h.app.request(`/api/cases/${list.cases[0]!.id}/notes`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: 'nope', text: 'x' }).toString(),
    });
    expect(note.status).toBe(403);

    expect((await h.app.request('/auth/logout', { method: 'POST', headers })).status).toBe(403);
    expect((await h.app.request('/auth/logout', { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } })).status).toBe(204);
    expect((await h.app.request('/api/cases', { headers })).status).toBe(401);
  });

  it("shows the login page in the browser's language (Bosnian as Croatian), English otherwise", async () => {
    const page = async (lang: string) => (await h.app.request('/login', { headers: { 'accept-language': lang } })).text();
    expect(await page('hr-HR,hr;q=0.9,en;q=0.8')).toMatch(/<html lang="hr">[\s\S]*<h1>Prijava<\/h1>[\s\S]*Lozinka/);
    expect(await page('bs-BA')).toContain('<html lang="hr">');
    expect(await page('de-DE,sr-Cyrl-RS;q=0.9,en;q=0.5')).toContain('<html lang="sr-Latn">');
    expect(await page('de-DE')).toMatch(/<h1>Log in<\/h1>[\s\S]*Password/);
    const wrong = await h.app.request('/login', {
      method: 'POST',
      headers: { 'accept-language': 'hr', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email, password: 'wrong password here' }).toString(),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Pogrešna e-pošta ili lozinka.');
  });

  it('refuses wrong passwords and malformed bodies clearly', async () => {
    expect((await login(JSON.stringify({ email: user.email, password: 'nope-nope' }), 'application/json')).res.status).toBe(401);
    const bad = await login('{"email":', 'application/json');
    expect(bad.res.status).toBe(400);
    const missing = await login(JSON.stringify({ email: 'not-an-email' }), 'application/json');
    expect(missing.res.status).toBe(400);
    expect(((await missing.res.json()) as { message: string }).message).toContain('email: expected an e-mail address');
    expect(bad.cookie).toBe('');
  });

  it('refuses a form body over 64 KiB before reading it, on the login page as on the API', async () => {
    const huge = new URLSearchParams({ email: user.email, password: 'x'.repeat(70_000) }).toString();
    const page = await h.app.request('/login', { method: 'POST', body: huge, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(page.status).toBe(413);
    expect(await page.text()).toContain('larger than 64 KiB');
    expect((await login(huge, 'application/x-www-form-urlencoded')).res.status).toBe(413);
  });
});

describe('the reply form', () => {
  it('gives a refused reply back in the reply box with the reason, and queues one that fits', async () => {
    const responder = await h.user('responder', 'Iva Kovač');
    const { res, session } = await login(JSON.stringify({ email: responder.email, password: 'correct horse battery staple' }), 'application/json');
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { cookie: `odziv_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' };
    const list = (await (await h.app.request('/api/cases?status=open', { headers })).json()) as { cases: Array<{ id: number }> };
    const id = list.cases.at(-1)!.id;
    expect((await h.app.request(`/api/cases/${id}/claim`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } })).status).toBe(200);
    const long = `Poštovana, <provjerili smo> ${'vaš priključak '.repeat(20)}`;
    const refused = await h.app.request(`/cases/${id}/reply`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ _csrf: csrfToken, key: 'k-long', text: long }).toString(),
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('allows at most 280');
    // The counter counts what would be sent: the text and the signature the queue adds.
    expect(html).toContain(`data-signature="– Iva" class="muted">${[...`${long.trim()}\n– Iva`].length} / 280<`);
    // The words come back escaped, in the box, ready to shorten.
    expect(html).toContain(`<textarea id="reply-text" name="text" required="">${long.trim().replace('<', '&lt;').replace('>', '&gt;')}</textarea>`);
    const sent = await h.app.request(`/cases/${id}/reply`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ _csrf: csrfToken, key: 'k-short', text: 'Pozdrav, provjeravamo vaš priključak.' }).toString(),
    });
    expect([sent.status, sent.headers.get('location')]).toEqual([303, `/cases/${id}?notice=queued`]);
    // A note is never cut short in silence: too long is refused, saying so.
    const note = await h.app.request(`/cases/${id}/note`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ _csrf: csrfToken, text: 'n'.repeat(5001) }).toString(),
    });
    expect(decodeURIComponent(note.headers.get('location') ?? '')).toContain('The note is 5,001 characters; at most 5,000.');
    const detail = (await (await h.app.request(`/api/cases/${id}`, { headers })).json()) as { notes: unknown[]; post: { id: number } };
    expect(detail.notes).toEqual([]);
    // A post its author deleted: the page says so and offers no reply box.
    const [gone] = await h.deps.database.db.select().from(posts).where(eq(posts.id, detail.post.id));
    expect(await markGone(h.deps.database, gone!.platform, [gone!.platformPostId], new Date())).toBe(1);
    const page = await (await h.app.request(`/cases/${id}`, { headers })).text();
    expect(page).toContain('id="post-gone"');
    // Its words are no longer kept, and the page says so instead of showing an empty quote.
    expect(page).toContain('Deleted by its author: its words are no longer kept.');
    expect(page).not.toContain(`action="/cases/${id}/reply"`);
    // The queue shows it too, so the case can be closed without opening it.
    const claimed = (await (await h.app.request('/api/cases?status=claimed', { headers })).json()) as {
      cases: Array<{ id: number; post: { goneAt: string | null } }>;
    };
    expect(claimed.cases.find((x) => x.id === id)!.post.goneAt).toBeTruthy();
    expect(await (await h.app.request('/inbox?status=claimed', { headers })).text()).toContain('post deleted');
    // The customer wrote again in the thread: the reply box is back (a reply goes to that post).
    const [first] = await h.deps.database.db.select().from(posts).where(eq(posts.id, detail.post.id));
    await h.deps.database.db.insert(posts).values({
      platform: first!.platform,
      platformPostId: `${first!.platformPostId}-again`,
      authorId: first!.authorId,
      text: 'Još uvijek ne radi.',
      postedAt: new Date(),
      conversationId: first!.conversationId ?? first!.platformPostId,
      raw: {},
    });
    if (!first!.conversationId) await h.deps.database.db.update(posts).set({ conversationId: first!.platformPostId }).where(eq(posts.id, first!.id));
    const again = await (await h.app.request(`/cases/${id}`, { headers })).text();
    expect(again).toContain(`action="/cases/${id}/reply"`);
    expect(again).not.toContain('id="post-gone"');
  });
});

describe('inbox pages by role', () => {
  it('shows marketing the case without the controls of people who work the queue', async () => {
    const mk = await h.user('marketing', 'Luka Marketing');
    const res = await h.app.request('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: mk.email, password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/json' },
    });
    const session = /odziv_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const list = (await (await h.app.request('/api/cases?status=open', { headers: { cookie: `odziv_session=${session}` } })).json()) as {
      cases: Array<{ id: number }>;
    };
    const page = await h.app.request(`/cases/${list.cases[0]!.id}`, { headers: { cookie: `odziv_session=${session}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Why flagged');
    expect(html).not.toContain(`action="/cases/${list.cases[0]!.id}/reply"`);
    expect(html).not.toContain(`action="/cases/${list.cases[0]!.id}/claim"`);
    expect(html).toContain(`action="/cases/${list.cases[0]!.id}/note"`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Pages without a session send people to log in, and keep where they were going.
    const anon = await h.app.request('/inbox');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/login?next=%2Finbox');
  });

  it("tells the analyzer's reasons in words on the case page, and marks only lexicon and topic words in the post", async () => {
    const { session } = await login(JSON.stringify({ email: user.email, password: 'correct horse battery staple' }), 'application/json');
    const headers = { cookie: `odziv_session=${session}` };
    const list = (await (await h.app.request('/api/cases?status=open&limit=100', { headers })).json()) as { cases: Array<{ id: number }> };
    let found: { id: number; evidence: Record<string, string[]> } | undefined;
    for (const { id } of list.cases) {
      const detail = (await (await h.app.request(`/api/cases/${id}`, { headers })).json()) as { analysis?: { evidence: Record<string, string[]> } };
      if (detail.analysis?.evidence.model?.length) {
        found = { id, evidence: detail.analysis.evidence };
        break;
      }
    }
    expect(found, 'a demo case the model explains').toBeDefined();
    const html = await (await h.app.request(`/cases/${found!.id}`, { headers })).text();
    const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(html).toContain(`What the analyzer read: ${found!.evidence.model!.map(escapeHtml).join('; ')}`);
    const marked = [...html.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]!.toLowerCase());
    const lexical = Object.entries(found!.evidence)
      .filter(([k]) => k !== 'model')
      .flatMap(([, v]) => v.map((t) => escapeHtml(t.toLowerCase())));
    for (const m of marked)
      expect(
        lexical.some((t) => t === m || t.includes(m)),
        m,
      ).toBe(true);
  });

  it('answers 404, not 500, for a case id too long to be ours, and 400 for a form with a NUL in it', async () => {
    const { headers, csrfToken } = await signIn('responder', 'Iva Odd');
    expect((await h.app.request('/cases/99999999999999999999', { headers })).status).toBe(404);
    expect((await h.app.request('/alerts/99999999999999999999/ack', { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } })).status).toBe(404);
    const note = await h.app.request('/cases/1/note', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrfToken, text: 'called\u0000back' }).toString(),
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(note.status).toBe(400);
    expect(await note.text()).toContain('text: contains a NUL');
  });

  it('resolves a case as a false alarm from its page (never an answered one), and the dashboard counts it per rule', async () => {
    const { headers, csrfToken } = await signIn('responder', 'Eva False');
    const form = { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
    const list = (await (await h.app.request('/api/cases?status=open', { headers })).json()) as { cases: Array<{ id: number }> };
    const id = list.cases[0]!.id;
    const page = await (await h.app.request(`/cases/${id}`, { headers })).text();
    expect(page).toContain('name="falseAlarm" value="1"');
    expect((await h.app.request(`/api/cases/${id}/claim`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } })).status).toBe(200);
    const res = await h.app.request(`/cases/${id}/resolve`, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ _csrf: csrfToken, falseAlarm: '1' }).toString(),
    });
    expect([res.status, res.headers.get('location')]).toEqual([303, `/cases/${id}?notice=resolvedFalseAlarm`]);
    const after = await (await h.app.request(`/cases/${id}?notice=resolvedFalseAlarm`, { headers })).text();
    expect(after).toContain('Resolved as a false alarm.');
    expect(after).toContain('<span class="chip">false alarm</span>');
    expect(after).toContain('closed without a reply');
    const [row] = await h.deps.database.db.select().from(cases).where(eq(cases.id, id));
    expect(row).toMatchObject({ status: 'resolved', falseAlarm: true });
    const dashboard = await (await h.app.request('/dashboard', { headers })).text();
    expect(dashboard).toContain('False alarms by rule (14 days)');
    expect(dashboard).toMatch(/<td>default\/[a-z-]+<\/td><td>1 \/ \d+ \(\d+ %\)<\/td>/);
    // An answered case offers no false alarm.
    const other = list.cases[1]!.id;
    expect((await h.app.request(`/api/cases/${other}/claim`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } })).status).toBe(200);
    await h.deps.database.db.update(cases).set({ firstResponseAt: new Date(), status: 'replied' }).where(eq(cases.id, other));
    expect(await (await h.app.request(`/cases/${other}`, { headers })).text()).not.toContain('name="falseAlarm"');
  });

  it('streams inbox events to a logged-in browser: a case committed anywhere arrives through LISTEN/NOTIFY', async () => {
    const res = await h.app.request('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: user.email, password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/json' },
    });
    const session = /odziv_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const controller = new AbortController();
    const events = await h.app.request('/inbox/events', { headers: { cookie: `odziv_session=${session}` }, signal: controller.signal });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const reader = events.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    // The first message (a heartbeat) says the stream is listening; then a complaint comes in.
    while (!seen.includes('event: ping')) seen += decoder.decode((await reader.read()).value);
    const [s] = await h.deps.database.db.select({ id: streams.id, name: streams.name }).from(streams).limit(1);
    await ingest(h.deps.database, h.deps.rulebook.current(), s!, {
      cursor: 'live',
      posts: [
        {
          platform: 'replay',
          platformPostId: 'live-1',
          author: { platformUserId: 'live', handle: 'live' },
          text: 'Internet opet ne radi, sramota, otkazujem!',
          postedAt: new Date(),
          isOwn: false,
          isRepost: false,
          raw: {},
        },
      ],
    });
    while (!seen.includes('event: cases')) seen += decoder.decode((await reader.read()).value);
    expect(seen).toMatch(/event: cases\ndata: 1\n/);
    controller.abort();
    await reader.cancel().catch(() => {});
  });
});

describe('the alerts page', () => {
  it("lists my audience's alerts with hostile post text escaped, and acknowledges one with the form token", async () => {
    const mk = await h.user('marketing', 'Mia Marketing');
    const res = await h.app.request('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: mk.email, password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/json' },
    });
    const session = /odziv_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { cookie: `odziv_session=${session}` };
    const [mine] = await h.deps.database.db
      .insert(alerts)
      .values({
        kind: 'spike',
        audience: 'marketing',
        dedupKey: 'page-1',
        title: 'Spike: 12 complaints about "ne radi"',
        severity: 'urgent',
        details: { samples: [{ caseId: null, handle: 'eve', text: '<script>alert(1)</script> ne radi' }] },
      })
      .returning();
    await h.deps.database.db.insert(alerts).values({ kind: 'sla', audience: 'community_manager', dedupKey: 'page-2', title: 'SLA breached: case 1' });
    // A rule alert keeps only its case's id: the page links the case and shows its post.
    // (One whose post does not say "ne radi": the page is checked for that words below, once the spike is acknowledged.)
    const someCase = (await h.deps.database.db.select({ id: cases.id, text: posts.text }).from(cases).innerJoin(posts, eq(posts.id, cases.postId))).find(
      (x) => !/ne radi/i.test(x.text),
    );
    await h.deps.database.db.insert(alerts).values({
      kind: 'rule',
      audience: 'marketing',
      caseId: someCase!.id,
      dedupKey: 'page-3',
      title: 'churn (priority 90) from @someone',
      details: { rules: ['default/churn-intent'] },
    });

    const page = await h.app.request('/alerts', { headers });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('12 complaints about &quot;ne radi&quot;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; ne radi');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('SLA breached');
    const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(html).toContain(`<a href="/cases/${someCase!.id}">Case #${someCase!.id}</a>: ${escapeHtml(someCase!.text)}`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const ack = (token: string) =>
      h.app.request(`/alerts/${mine!.id}/ack`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token }).toString(),
      });
    expect((await ack('forged')).status).toBe(403);
    expect((await h.deps.database.db.select().from(alerts).where(eq(alerts.id, mine!.id)))[0]!.status).toBe('open');
    expect((await ack(csrfToken)).status).toBe(303);
    expect((await h.deps.database.db.select().from(alerts).where(eq(alerts.id, mine!.id)))[0]!.status).toBe('acknowledged');
    expect(await (await h.app.request('/alerts', { headers })).text()).not.toContain('ne radi');

    // The dashboard's raw queries run on both databases (dates as parameters).
    const dash = await h.app.request('/dashboard', { headers });
    expect(dash.status).toBe(200);
    const board = await dash.text();
    expect(board).toContain('Flagged posts per hour');
    // The demo's cases were created just now: their bar stands at this hour on the user's clock (or
    // the last one, should the hour have turned since).
    const hours = [0, 1].map((back) => bucketLabel(new Date(Date.now() - back * 3_600_000), 'hour', 'Europe/Zagreb'));
    expect(
      hours.some((label) => board.includes(`${label} · `)),
      hours.join(' or '),
    ).toBe(true);

    // Responders have no alerts.
    const resp = await h.app.request('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: user.email, password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/json' },
    });
    const rs = /odziv_session=([^;]+)/.exec(resp.headers.get('set-cookie') ?? '')?.[1];
    expect((await h.app.request('/alerts', { headers: { cookie: `odziv_session=${rs}` } })).status).toBe(403);
  });
});

describe('the rules page', () => {
  it('starts a candidate from the pack in force, and gives a refused one back in its box with the reason', async () => {
    const { headers, csrfToken } = await signIn('community_manager', 'Iva Urednica');
    const page = await (await h.app.request('/rules', { headers })).text();
    expect(page).toContain('- id: churn-intent');

    const broken = 'pack: mine\nrules:\n  - id: loud\n    conditions: { minComplaint: 2 }\n    actions: { flag: { reason: "<b>loud</b>" } }\n';
    const post = (pack: string, since: string) =>
      h.app.request('/rules/backtest', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfToken, pack, since }).toString(),
      });
    const refused = await post(broken, '7d');
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('minComplaint');
    expect(html).toContain('flag: { reason: &quot;&lt;b&gt;loud&lt;/b&gt;&quot; }');
    const badSince = await post('pack: mine\nrules: []\n', 'last tuesday');
    expect(badSince.status).toBe(422);
    expect(await badSince.text()).toContain('value="last tuesday"');
  });
});

describe('backtest pages', () => {
  it("shows a finished backtest in the user's language, with the verdicts of people when there are any", async () => {
    const { headers, csrfToken } = await signIn('community_manager', 'Maja Urednica');
    await h.app.request('/me/preferences', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken, locale: 'hr', timeZone: 'Europe/Zagreb', next: '/rules' }).toString(),
    });
    const [b] = await h.deps.database.db
      .insert(backtests)
      .values({
        packName: 'default',
        packText: 'x',
        since: new Date('2026-11-16T08:00:00Z'),
        status: 'done',
        total: 9,
        processed: 9,
        result: {
          posts: 9,
          flaggedNow: 5,
          flaggedWithCandidate: 4,
          newlyFlagged: 1,
          noLongerFlagged: 2,
          byCategory: {},
          byRule: {},
          examples: { newlyFlagged: [], noLongerFlagged: [] },
          labels: { falseAlarms: 3, falseAlarmsStillFlagged: 1, answered: 2, answeredNoLongerFlagged: 0 },
        },
      })
      .returning();
    const page = await (await h.app.request(`/rules/backtests/${b!.id}`, { headers })).text();
    expect(page).toContain(`Provjera #${b!.id}: default`);
    expect(page).toContain('Sada označeno 5, s novim paketom 4: +1 novo označenih, −2 više nije označeno.');
    expect(page).toContain('od 3 objava riješenih kao lažna uzbuna novi paket i dalje označava 1; od 2 objava na koje je netko odgovorio više ne označava 0.');
    const rules = await (await h.app.request('/rules', { headers })).text();
    expect(rules).toContain('Aktivni paketi pravila');
    expect(rules).toContain('Pokreni provjeru');
    expect(rules).toContain('default od 16. stu 2026. 09:00: done (9/9)');
  });
});

describe("pages in the user's language", () => {
  it('shows the dashboard and the streams in Croatian', async () => {
    const { headers, csrfToken } = await signIn('responder', 'Ivo Hrvatić');
    const saved = await h.app.request('/me/preferences', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken, locale: 'hr', timeZone: 'Europe/Zagreb', next: '/streams' }).toString(),
    });
    expect(saved.status).toBe(303);
    const streamsPage = await (await h.app.request('/streams', { headers })).text();
    expect(streamsPage).toContain('<th scope="col">Izvor</th>');
    expect(streamsPage).toMatch(/u redu|čeka prvo čitanje|ne radi od/);
    expect(streamsPage).not.toContain(' s ago');
    const board = await (await h.app.request('/dashboard', { headers })).text();
    expect(board).toContain('Označene objave po satu, po kategoriji (48 h)');
    expect(board).toContain('Vrijeme odgovora (7 dana)');
  });
});

describe('the People page', () => {
  const form = (csrf: string, fields: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...fields }).toString();

  it('lets an admin add a person (password shown once), move them, and disable them; nobody else sees it', async () => {
    const admin = await signIn('admin', 'Ivana Admin');
    const post = (path: string, fields: Record<string, string>) =>
      h.app.request(path, {
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: form(admin.csrfToken, fields),
      });

    const page = await h.app.request('/people', { headers: admin.headers });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Ivana Admin');

    // Post text is hostile, and so is a name: it is escaped like everything else.
    const added = await post('/people', {
      email: 'luka@example.com',
      name: 'Luka <script>x</script>',
      role: 'responder',
      teams: 'care, billing',
      password: '',
    });
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain('Added luka@example.com.');
    expect(html).not.toContain('<script>x</script>');
    const password = /id="password-once">[^<]*<code>([^<]+)<\/code>/.exec(html)?.[1];
    expect(password).toMatch(/^\S{16,}$/);
    const luka = (await login(JSON.stringify({ email: 'luka@example.com', password }), 'application/json')).res;
    expect(luka.status).toBe(200);

    const bad = await post('/people', { email: 'nope', name: 'X', role: 'boss', teams: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/email: expected an e-mail address; role: expected one of/);

    const { id } = (
      (await (await h.request('GET', '/api/users', { token: (await h.user('admin')).token })).json()) as { users: Array<{ id: number; email: string }> }
    ).users.find((u) => u.email === 'luka@example.com')!;
    const moved = await post(`/people/${id}`, { name: 'Luka', role: 'community_manager', teams: 'social' });
    expect(moved.status).toBe(200);
    const disabled = await post(`/people/${id}/disable`, {});
    expect(await disabled.text()).toContain('Saved the changes to luka@example.com.');
    const [row] = await h.deps.database.db.select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ name: 'Luka', role: 'community_manager', teams: ['social'], disabled: true });
    expect((await login(JSON.stringify({ email: 'luka@example.com', password }), 'application/json')).res.status).toBe(401);

    const forged = await h.app.request(`/people/${id}/enable`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form('forged', {}),
    });
    expect(forged.status).toBe(403);

    const cm = await signIn('community_manager', 'Petra CM');
    expect((await h.app.request('/people', { headers: cm.headers })).status).toBe(403);
    const sneaky = await h.app.request(`/people/${id}/enable`, {
      method: 'POST',
      headers: { ...cm.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(cm.csrfToken, {}),
    });
    expect(sneaky.status).toBe(403);
    expect((await h.deps.database.db.select().from(users).where(eq(users.id, id)))[0]!.disabled).toBe(true);
  });
});

describe('erasure from the case page', () => {
  it('offers admins, and only admins, to erase the customer once they confirm the request', async () => {
    const admin = await signIn('admin', 'Ivana Admin');
    const responder = await signIn('responder', 'Rade');
    const list = (await (await h.app.request('/api/cases?status=open&limit=200', { headers: admin.headers })).json()) as {
      cases: Array<{ id: number; author: { handle: string } }>;
    };
    const everyone = await h.deps.database.db.select().from(authors);
    const c = list.cases.find((x) => everyone.filter((a) => a.handle === x.author.handle).length === 1)!;
    const form = (who: typeof admin, fields: Record<string, string>) =>
      h.app.request(`/cases/${c.id}/erase`, {
        method: 'POST',
        headers: { ...who.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: who.csrfToken, ...fields }).toString(),
      });

    expect(await (await h.app.request(`/cases/${c.id}`, { headers: responder.headers })).text()).not.toContain(`/cases/${c.id}/erase`);
    expect(await (await h.app.request(`/cases/${c.id}`, { headers: admin.headers })).text()).toContain(`@${c.author.handle} asked for it`);

    const refused = await form(responder, { confirm: '1' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Your role cannot see this page.');
    const unconfirmed = await form(admin, {});
    expect(decodeURIComponent(unconfirmed.headers.get('location') ?? '')).toContain('Tick the box');
    expect(everyone.some((a) => a.handle === c.author.handle)).toBe(true);
    expect((await h.deps.database.db.select().from(authors).where(eq(authors.handle, c.author.handle))).length).toBe(1);

    const done = await form(admin, { confirm: '1' });
    expect(done.headers.get('location')).toBe(`/cases/${c.id}?notice=customerErased`);
    const page = await (await h.app.request(done.headers.get('location')!, { headers: admin.headers })).text();
    expect(page).toContain('The customer’s data is erased');
    expect(page).not.toContain(`@${c.author.handle}`);
    expect(page).toMatch(/@erased-\d+/);
  });
});

describe('bulk actions in the inbox', () => {
  it('applies one action to the chosen cases and says how it went, keeping the filters', async () => {
    const cm = await signIn('community_manager', 'Petra Bulk');
    const page = await (await h.app.request('/inbox?status=open', { headers: cm.headers })).text();
    const ids = [...page.matchAll(/name="ids" value="(\d+)" form="bulk"/g)].map((m) => Number(m[1])).slice(0, 2);
    expect(ids).toHaveLength(2);
    const post = (fields: Array<[string, string]>) =>
      h.app.request('/inbox/bulk', {
        method: 'POST',
        headers: { ...cm.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([['_csrf', cm.csrfToken], ['query', 'status=open&notice=old'], ...fields]).toString(),
      });

    const bad = await post([['action', 'escalate'], ...ids.map((id): [string, string] => ['ids', String(id)])]);
    expect(bad.status).toBe(303);
    expect(decodeURIComponent(bad.headers.get('location')!)).toBe('/inbox?status=open&notice=team: expected a team name; note: expected a note for the team');

    const done = await post([['action', 'false_alarm'], ...ids.map((id): [string, string] => ['ids', String(id)])]);
    const location = done.headers.get('location')!;
    expect(decodeURIComponent(location)).toBe('/inbox?status=open&notice=Done for 2 cases, 0 refused.');
    for (const id of ids)
      expect((await h.deps.database.db.select().from(cases).where(eq(cases.id, id)))[0]).toMatchObject({ status: 'resolved', falseAlarm: true });
    const after = await (await h.app.request(location, { headers: cm.headers })).text();
    expect(after).toContain('id="bulk-notice">Done for 2 cases, 0 refused.');
    // The notice is said once: a view saved from here keeps the filters only.
    expect(after).toContain('name="query" value="status=open"');

    const marketing = await signIn('marketing', 'Mia Marketing');
    expect(await (await h.app.request('/inbox?status=open', { headers: marketing.headers })).text()).not.toContain('action="/inbox/bulk"');
  });
});
