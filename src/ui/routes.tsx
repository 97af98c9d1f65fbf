import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { languageDetector } from 'hono/language';
import { streamSSE } from 'hono/streaming';
import { CaseEvents } from './live.ts';
import { and, eq } from 'drizzle-orm';
import { authors, cases, posts } from '../../db/schema/index.ts';
import { eraseAuthor } from '../privacy/erase.ts';
import { logIn } from '../auth/login.ts';
import { authorize, can } from '../auth/permissions.ts';
import { client, setSessionCookie } from '../http/client.ts';
import { safeNext } from './next.ts';
import { createSession, endSession, SESSION_COOKIE, sessionUser } from '../auth/sessions.ts';
import type { AuthUser } from '../auth/users.ts';
import { listPeople } from '../auth/people.ts';
import { bulkAct, BulkInput } from '../queue/bulk.ts';
import type { Deps } from '../deps.ts';
import { AppError, zodIssues } from '../errors.ts';
import { PLATFORMS, type PlatformAdapter } from '../../adapters/types.ts';
import { LANGUAGES } from '../../rules/index.ts';
import { claimCase, getCase, listCases } from '../queue/cases.ts';
import { addNote, MAX_NOTE_LENGTH, resolveCase, WAITING } from '../queue/lifecycle.ts';
import { createReply, outgoingReply, replyLength, retryReply } from '../queue/replies.ts';
import { signature } from '../queue/templates.ts';
import { Due, evidenceTerms, Highlighted, Layout, notAllowed, type UiEnv } from './layout.tsx';
import { registerPages } from './pages.tsx';
import { registerAlertsPage } from './alerts-page.tsx';
import { registerPeoplePage } from './people-page.tsx';
import { formatCount, formatDateTime, isLocale, LOCALES, t, type Locale, type MessageKey } from './i18n.ts';
import { savedViews, users } from '../../db/schema/index.ts';


const STATIC: Record<string, { body: string; type: string }> = {
  'app.css': { body: readFileSync(new URL('./static/app.css', import.meta.url), 'utf8'), type: 'text/css; charset=utf-8' },
  'app.js': { body: readFileSync(new URL('./static/app.js', import.meta.url), 'utf8'), type: 'text/javascript; charset=utf-8' },
};

/** No inline script or style, nothing from elsewhere: post text can never run in this page. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const csp: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CSP);
};

const STATUSES = ['open', 'claimed', 'replied', 'snoozed', 'escalated', 'resolved'] as const;
/**
 * Before anyone has signed in (and chosen a language), the login page speaks the browser's:
 * Bosnian readers get the Croatian (ijekavian Latin) text, Montenegrin the Serbian.
 */
const loginLanguage = languageDetector({
  order: ['header'],
  caches: false,
  supportedLanguages: [...LOCALES],
  fallbackLanguage: 'en',
  convertDetectedLanguage: (tag) => ({ bs: 'hr', cnr: 'sr' } as Record<string, string>)[tag.toLowerCase().split('-')[0]!] ?? tag.toLowerCase().split('-')[0]!,
});

/** The inbox's filters as a query string, without the one-time notice (views and "back" keep filters only). */
function inboxQuery(search: string): string {
  const params = new URLSearchParams(search.replace(/^\?/, ''));
  params.delete('notice');
  return params.toString().slice(0, 500);
}

/** The web inbox: server-rendered pages; forms carry the session's CSRF token. */
export function uiRoutes(deps: Deps) {
  const app = new Hono<UiEnv>();
  const live = new CaseEvents(deps.database, deps.log);

  // Every page and file of the inbox gets the strict CSP (the JSON API has no use for one).
  app.use('/static/*', csp);
  for (const path of ['/', '/login', '/logout', '/inbox', '/inbox/*', '/cases/*', '/dashboard', '/streams', '/rules', '/rules/*', '/alerts', '/alerts/*', '/people', '/people/*']) app.use(path, csp);
  app.get('/static/:file', (c) => {
    const f = STATIC[c.req.param('file')];
    if (!f) return c.notFound();
    return c.body(f.body, 200, { 'content-type': f.type, 'cache-control': 'no-cache' });
  });
  app.get('/', (c) => c.redirect('/inbox'));

  app.get('/login', loginLanguage, (c) => c.html(<LoginPage L={c.get('language') as Locale} next={safeNext(c.req.query('next'))} />));
  app.post('/login', loginLanguage, async (c) => {
    const L = c.get('language') as Locale;
    const form = await c.req.parseBody();
    const email = String(form.email ?? '').trim().toLowerCase();
    const next = safeNext(String(form.next ?? ''));
    let user;
    try {
      user = await logIn(deps.database, { email, password: String(form.password ?? ''), client: client(c, deps.config).address, via: 'web' });
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'UNAUTHORIZED' && e.code !== 'TOO_MANY_REQUESTS')) throw e;
      const wait = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      return e.code === 'UNAUTHORIZED'
        ? c.html(<LoginPage L={L} next={next} error={t(L, 'wrongLogin')} />, 401)
        : c.html(<LoginPage L={L} next={next} error={t(L, 'tooMany', { seconds: wait ?? 1 })} />, 429);
    }
    const s = await createSession(deps.database, user.id);
    setSessionCookie(c, s.token, client(c, deps.config).https);
    return c.redirect(next, 303);
  });

  // The pages below need a session; changes need its CSRF token. The guard is named on each
  // route: a wildcard middleware would also catch unknown /api paths.
  const guard: MiddlewareHandler<UiEnv> = async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const s = token ? await sessionUser(deps.database, token) : undefined;
    if (!s) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (form._csrf !== s.csrfToken) throw new AppError('FORBIDDEN', 'the form is stale or forged (CSRF token); reload the page');
    }
    c.set('user', s.user);
    c.set('csrf', s.csrfToken);
    c.set('locale', s.prefs.locale);
    c.set('timeZone', s.prefs.timeZone);
    await next();
  };
  const guarded = {
    get: (path: string, handler: (c: Context<UiEnv>) => Response | Promise<Response>) => app.get(path, guard, handler),
    post: (path: string, handler: (c: Context<UiEnv>) => Response | Promise<Response>) => app.post(path, guard, handler),
  };

  guarded.post('/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSession(deps.database, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  guarded.post('/me/preferences', async (c) => {
    const form = await c.req.parseBody();
    const locale = isLocale(form.locale) ? form.locale : c.get('locale');
    let timeZone = String(form.timeZone ?? '').trim() || c.get('timeZone');
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      timeZone = c.get('timeZone');
    }
    await deps.database.db.update(users).set({ locale, timeZone }).where(eq(users.id, c.get('user').id));
    return c.redirect(safeNext(String(form.next ?? '')), 303);
  });

  guarded.get('/inbox', async (c) => {
    const q = c.req.query();
    const status = (STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as (typeof STATUSES)[number]) : 'open';
    const filters = {
      status,
      language: q.language || undefined,
      platform: q.platform || undefined,
      category: q.category || undefined,
      sla: (['breached', 'due_soon', 'ok'] as const).find((s) => s === q.sla),
      assignee: q.mine ? c.get('user').id : undefined,
      q: q.q?.trim().slice(0, 200) || undefined,
    };
    const page = await listCases(deps.database, { ...filters, limit: 100 });
    const views = await deps.database.db.select().from(savedViews).where(eq(savedViews.userId, c.get('user').id)).orderBy(savedViews.name);
    const query = inboxQuery(new URL(c.req.url).search);
    const manages = can(c.get('user'), 'cases.manage');
    const people = manages ? (await listPeople(deps.database)).filter((p) => !p.disabled && p.role !== 'marketing') : [];
    return c.html(<InboxPage user={c.get('user')} csrf={c.get('csrf')} L={c.get('locale')} tz={c.get('timeZone')} cases={page.cases} filters={{ ...filters, mine: !!q.mine }} views={views.map((v) => ({ name: v.name, query: v.query }))} query={query} notice={q.notice?.slice(0, 2000)} people={people} />);
  });

  // Many cases at once (an outage, a spam wave): the same rules as one, each case answered.
  guarded.post('/inbox/bulk', async (c) => {
    const L = c.get('locale');
    const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File | File[]>;
    const one = (k: string) => (typeof form[k] === 'string' && form[k] !== '' ? (form[k] as string) : undefined);
    const back = inboxQuery(one('query') ?? '');
    const ids = [form.ids ?? []].flat().map((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v));
    const assigneeId = one('assigneeId');
    const parsed = BulkInput.safeParse({ action: one('action'), ids, team: one('team'), note: one('note'), ...(assigneeId ? { assigneeId: Number(assigneeId) } : {}) });
    let notice: string;
    if (!parsed.success) notice = zodIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ');
    else {
      try {
        const results = await bulkAct(deps.database, c.get('user'), parsed.data);
        const refused = results.filter((r) => !r.ok);
        notice = [t(L, 'bulkDone', { done: results.length - refused.length, refused: refused.length }), ...refused.slice(0, 5).map((r) => `#${r.id}: ${'message' in r ? r.message : ''}`)].join(' ');
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500 || e.code === 'FORBIDDEN') throw e;
        notice = e.message;
      }
    }
    return c.redirect(`/inbox?${[back, `notice=${encodeURIComponent(notice)}`].filter(Boolean).join('&')}`, 303);
  });

  guarded.post('/inbox/views', async (c) => {
    const form = await c.req.parseBody();
    const name = String(form.name ?? '').trim().slice(0, 60);
    const query = String(form.query ?? '').slice(0, 500);
    if (name) {
      await deps.database.db.delete(savedViews).where(and(eq(savedViews.userId, c.get('user').id), eq(savedViews.name, name)));
      await deps.database.db.insert(savedViews).values({ userId: c.get('user').id, name, query });
    }
    return c.redirect(`/inbox${query ? `?${query}` : ''}`, 303);
  });

  guarded.get('/inbox/events', (c) =>
    streamSSE(c, async (stream) => {
      // Ten minutes, then the browser reconnects; a heartbeat every 25 s keeps proxies from closing a quiet stream.
      const until = Date.now() + 10 * 60_000;
      let pending = 0;
      let wake: (() => void) | undefined;
      const { stop, ready } = live.subscribe((n) => {
        pending += n;
        wake?.();
      });
      try {
        await ready;
        while (!stream.aborted && Date.now() < until) {
          if (pending) {
            await stream.writeSSE({ event: 'cases', data: String(pending) });
            pending = 0;
          } else await stream.writeSSE({ event: 'ping', data: '' });
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stream.sleep(25_000)]);
        }
      } finally {
        stop();
      }
    }),
  );

  /** The case page; `draft` is what the reply box holds (a chosen template, or a refused reply kept). */
  const casePage = async (c: Context<UiEnv>, id: number, draft: (d: Detail) => string, notice: string | undefined, status: 200 | 400 | 409 | 422 = 200) => {
    const user = c.get('user');
    const detail = await getCase(deps.database, id, { templates: deps.templates, responderName: user.name, userId: user.id });
    const adapter = deps.adapters[detail.post.platform as keyof typeof deps.adapters];
    const known = notice && ['claimed', 'queued', 'resolved', 'resolvedFalseAlarm', 'noteAdded', 'sendingAgain', 'customerErased'].includes(notice) ? t(c.get('locale'), notice as MessageKey) : notice;
    return c.html(<CasePage user={user} csrf={c.get('csrf')} L={c.get('locale')} tz={c.get('timeZone')} c={detail} draft={draft(detail)} limit={replyLimit(adapter, signature(deps.config.ODZIV_SIGNATURE, user.name))} notice={known} />, status);
  };
  // Ids of up to 15 digits (JavaScript's safe integers): a longer one is no id of ours, so no route (404).
  guarded.get('/cases/:id{[0-9]{1,15}}', (c) => casePage(c, Number(c.req.param('id')), (d) => d.templates.find((x) => x.id === c.req.query('template'))?.text ?? '', c.req.query('notice')));

  const act = (path: string, run: (c: Context<UiEnv>, id: number, form: Record<string, unknown>) => Promise<string | void>) =>
    guarded.post(path, async (c) => {
      const id = Number(c.req.param('id'));
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      try {
        const notice = await run(c, id, form);
        return c.redirect(`/cases/${id}${notice ? `?notice=${encodeURIComponent(notice)}` : ''}`, 303);
      } catch (e) {
        // A refusal (403) is an answer of its own, not a notice on a page the person may not act from.
        if (e instanceof AppError && e.status < 500 && e.code !== 'FORBIDDEN') return c.redirect(`/cases/${id}?notice=${encodeURIComponent(e.message)}`, 303);
        throw e;
      }
    });
  act('/cases/:id{[0-9]{1,15}}/claim', async (c, id) => {
    await claimCase(deps.database, id, c.get('user'));
    return 'claimed';
  });
  // A refused reply (too long for the platform, case claimed by someone else) comes back in the
  // reply box with the reason: a responder's words are never lost to a redirect.
  guarded.post('/cases/:id{[0-9]{1,15}}/reply', async (c) => {
    const id = Number(c.req.param('id'));
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const user = c.get('user');
    const text = String(form.text ?? '').trim();
    try {
      if (!text) throw new AppError('BAD_REQUEST', 'The reply is empty.');
      await createReply(deps.database, deps.adapters, { caseId: id, actor: user, text, idempotencyKey: String(form.key || randomUUID()), signature: signature(deps.config.ODZIV_SIGNATURE, user.name) });
      return c.redirect(`/cases/${id}?notice=queued`, 303);
    } catch (e) {
      if (e instanceof AppError && (e.status === 400 || e.status === 409 || e.status === 422)) return casePage(c, id, () => text, e.message, e.status);
      throw e;
    }
  });
  act('/cases/:id{[0-9]{1,15}}/resolve', async (c, id, form) => {
    const falseAlarm = form.falseAlarm === '1';
    await resolveCase(deps.database, id, c.get('user'), { falseAlarm });
    return falseAlarm ? 'resolvedFalseAlarm' : 'resolved';
  });
  act('/cases/:id{[0-9]{1,15}}/note', async (c, id, form) => {
    const text = String(form.text ?? '').trim();
    if (!text) throw new AppError('BAD_REQUEST', 'The note is empty.');
    if (text.length > MAX_NOTE_LENGTH) throw new AppError('BAD_REQUEST', `The note is ${text.length.toLocaleString('en')} characters; at most ${MAX_NOTE_LENGTH.toLocaleString('en')}.`);
    await addNote(deps.database, id, c.get('user'), text);
    return 'noteAdded';
  });
  act('/cases/:id{[0-9]{1,15}}/erase', async (c, id, form) => {
    authorize(c.get('user'), 'customers.erase');
    if (form.confirm !== '1') throw new AppError('BAD_REQUEST', t(c.get('locale'), 'eraseConfirmMissing'));
    const [who] = await deps.database.db
      .select({ platform: authors.platform, platformUserId: authors.platformUserId })
      .from(cases)
      .innerJoin(posts, eq(posts.id, cases.postId))
      .innerJoin(authors, eq(authors.id, posts.authorId))
      .where(eq(cases.id, id));
    if (!who) throw new AppError('NOT_FOUND', `case ${id} not found`);
    await eraseAuthor(deps.database, who, c.get('user'));
    return 'customerErased';
  });
  act('/cases/:id{[0-9]{1,15}}/replies/:rid{[0-9]{1,15}}/retry', async (c, id) => {
    await retryReply(deps.database, id, Number(c.req.param('rid')), c.get('user'));
    return 'sendingAgain';
  });

  // A refusal in the inbox is a page in the person's language; every other error goes to the app's handler.
  app.onError((err, c) => {
    if (err instanceof AppError && err.code === 'FORBIDDEN' && c.get('user')) return notAllowed(c);
    throw err;
  });

  registerPages(app, deps, guard);
  registerAlertsPage(app, deps, guard);
  registerPeoplePage(app, deps, guard);
  return app;
}

function LoginPage(props: { L: Locale; next: string; error?: string }) {
  const L = props.L;
  return (
    <Layout title={t(L, 'login')} locale={L}>
      <h1>{t(L, 'login')}</h1>
      {props.error ? <p class="error" role="alert">{props.error}</p> : null}
      <form method="post" action="/login" class="card">
        <input type="hidden" name="next" value={props.next} />
        <label for="email">{t(L, 'email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required autofocus />
        <label for="password">{t(L, 'password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p>
          <button type="submit">{t(L, 'login')}</button>
        </p>
      </form>
    </Layout>
  );
}

type CaseRow = Awaited<ReturnType<typeof listCases>>['cases'][number];

function InboxPage(props: { user: AuthUser; csrf: string; L: Locale; tz: string; cases: CaseRow[]; views: Array<{ name: string; query: string }>; query: string; notice?: string; people: Array<{ id: number; name: string }>; filters: { status: string; language?: string; platform?: string; category?: string; sla?: string; mine: boolean; q?: string } }) {
  const f = props.filters;
  const L = props.L;
  const option = (value: string, current: string | undefined, label = value) => (
    <option value={value} selected={current === value}>
      {label}
    </option>
  );
  return (
    <Layout title={t(L, 'inbox')} user={props.user} csrf={props.csrf} locale={L} timeZone={props.tz} path="/inbox">
      <h1>{t(L, 'inbox')}</h1>
      <form method="get" action="/inbox" class="filters" aria-label="Filters">
        <input type="search" name="q" value={f.q ?? ''} aria-label={t(L, 'search')} placeholder={t(L, 'searchHint')} size={22} maxlength={200} />
        <label>
          {t(L, 'status')} <select name="status">{STATUSES.map((s) => option(s, f.status))}</select>
        </label>
        <label>
          {t(L, 'language')} <select name="language">{option('', f.language, t(L, 'any'))}{LANGUAGES.map((l) => option(l, f.language))}</select>
        </label>
        <label>
          {t(L, 'platform')} <select name="platform">{option('', f.platform, t(L, 'any'))}{PLATFORMS.map((p) => option(p, f.platform))}</select>
        </label>
        <label>
          {t(L, 'sla')} <select name="sla">{option('', f.sla, t(L, 'any'))}{option('breached', f.sla)}{option('due_soon', f.sla, 'due soon')}</select>
        </label>
        <label>
          <input type="checkbox" name="mine" value="1" checked={f.mine} /> {t(L, 'mine')}
        </label>
        <button type="submit" class="secondary">{t(L, 'filter')}</button>
      </form>
      <nav aria-label="Saved views" class="filters">
        {props.views.map((v) => (
          <a class="chip" href={`/inbox?${v.query}`}>
            {v.name}
          </a>
        ))}
        <form method="post" action="/inbox/views" class="inline">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="query" value={props.query} />
          <input name="name" aria-label={t(L, 'viewName')} placeholder={t(L, 'viewName')} size={14} />
          <button type="submit" class="secondary">{t(L, 'saveView')}</button>
        </form>
      </nav>
      {props.notice ? <p role="status" class="card" id="bulk-notice">{props.notice}</p> : null}
      <p class="muted">{t(L, 'casesCount', { n: props.cases.length })}</p>
      {can(props.user, 'cases.work') && props.cases.length ? (
        <form method="post" action="/inbox/bulk" id="bulk" class="filters" aria-label={t(L, 'bulkLabel')}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="query" value={props.query} />
          <label>
            {t(L, 'bulkSelected')}{' '}
            <select name="action">
              <option value="resolve">{t(L, 'resolve')}</option>
              <option value="false_alarm">{t(L, 'falseAlarm')}</option>
              <option value="escalate">{t(L, 'bulkEscalate')}</option>
              {props.people.length ? <option value="assign">{t(L, 'bulkAssign')}</option> : null}
            </select>
          </label>
          <input name="team" aria-label={t(L, 'bulkTeam')} placeholder={t(L, 'bulkTeam')} size={10} />
          <input name="note" aria-label={t(L, 'bulkNote')} placeholder={t(L, 'bulkNote')} size={24} />
          {props.people.length ? (
            <select name="assigneeId" aria-label={t(L, 'bulkAssignee')}>
              <option value="">{t(L, 'bulkAssignee')}</option>
              {props.people.map((p) => (
                <option value={String(p.id)}>{p.name}</option>
              ))}
            </select>
          ) : null}
          <button type="submit" class="secondary">{t(L, 'bulkApply')}</button>
        </form>
      ) : null}
      <p id="new-cases" class="notice" role="status" hidden data-lang={L} data-one={t(L, 'newCasesOne')} data-few={t(L, 'newCasesFew')} data-other={t(L, 'newCasesOther')}>
        <a href="">{t(L, 'newCasesOther')}</a>
      </p>
      <table data-live-inbox>
        <thead>
          <tr>
            <th scope="col"><span class="visually-hidden">{t(L, 'bulkPick')}</span></th>
            <th scope="col">{t(L, 'priority')}</th>
            <th scope="col">{t(L, 'post')}</th>
            <th scope="col">{t(L, 'why')}</th>
            <th scope="col">{t(L, 'sla')}</th>
          </tr>
        </thead>
        <tbody>
          {props.cases.map((c) => (
            <tr data-href={`/cases/${c.id}`} tabindex={0}>
              <td>
                <input type="checkbox" name="ids" value={String(c.id)} form="bulk" aria-label={`${t(L, 'bulkPick')} ${c.id}`} />
              </td>
              <td>
                <span class="prio" title={c.priorityExplained}>{c.priority}</span>
              </td>
              <td>
                <a href={`/cases/${c.id}`}>@{c.author.handle}</a> <span class="muted">{formatCount(c.author.followers ?? 0, L)} {t(L, 'followers')}</span>
                <div class="post">
                  {c.post.goneAt && !c.post.text ? <span class="muted">{t(L, 'wordsForgotten')}</span> : <Highlighted text={c.post.text} terms={evidenceTerms(c.evidence).terms} />}
                </div>
                <span class="chip">{c.language ?? '?'}</span>
                <span class="chip">{c.post.platform}</span>
                {c.category ? <span class="chip">{c.category}</span> : null}
                {c.status !== 'open' ? <span class="chip">{c.status}</span> : null}
                {c.falseAlarm ? <span class="chip">{t(L, 'falseAlarmChip')}</span> : null}
                {c.post.goneAt ? <span class="chip error">{t(L, 'gone')}</span> : null}
              </td>
              <td>{c.reason}</td>
              <td>
                <Due at={c.dueAt} waiting={WAITING.includes(c.status)} answered={c.firstResponseAt !== null} locale={L} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

type Detail = Awaited<ReturnType<typeof getCase>>;

/**
 * How the reply box counts: the adapter's limit and count, of the text as it will be sent (with the
 * responder's signature, which the queue adds). The page's script counts by the rule the adapter declares.
 */
interface ReplyLimit {
  max: number;
  /** How the page's script counts as the responder types (the adapter's declared rule). */
  counting: string;
  signature: string;
  length: (text: string) => number;
}
function replyLimit(adapter: PlatformAdapter | undefined, sig: string | undefined): ReplyLimit {
  return { max: adapter?.maxReplyLength ?? 280, counting: adapter?.replyCounting ?? 'code-points', signature: sig ?? '', length: (text) => (text.trim() ? replyLength(adapter, outgoingReply(text, sig)) : 0) };
}

function CasePage(props: { user: AuthUser; csrf: string; L: Locale; tz: string; c: Detail; draft: string; limit: ReplyLimit; notice?: string }) {
  const c = props.c;
  const L = props.L;
  const when = (d: Date | string) => formatDateTime(d, L, props.tz);
  const mine = c.assignee?.id === props.user.id;
  // Marketing reads and notes; only people who work the queue see the claim, reply and resolve controls.
  const works = can(props.user, 'cases.work');
  const read = evidenceTerms(c.analysis?.evidence as Record<string, string[]> | undefined);
  const terms = [...c.flags.flatMap((f) => f.evidence.flatMap((e) => [...e.matchAll(/"([^"]+)"/g)].map((m) => m[1]!))), ...read.terms];
  const modelReasons = (c.analysis?.evidence as Record<string, string[]> | undefined)?.model ?? [];
  const hidden = <input type="hidden" name="_csrf" value={props.csrf} />;
  const author = c.author as { handle: string; displayName: string | null; followers: number | null };
  const post = c.post as { id: number; text: string; url: string | null; platform: string; goneAt: Date | null };
  // The customer wrote again in the thread: a reply goes to that post, even if the first is gone.
  const followedUp = c.thread.some((p) => !p.isOwn && p.id !== post.id && p.handle === author.handle);
  return (
    <Layout title={`${t(L, 'case')} ${c.id}`} user={props.user} csrf={props.csrf} locale={L} timeZone={props.tz} path={`/cases/${c.id}`}>
      <p>
        <a href="/inbox">{t(L, 'backToInbox')}</a>
      </p>
      {props.notice ? <p role="status" class="card">{props.notice}</p> : null}
      <h1>
        {t(L, 'case')} {c.id}: <span class="chip">{c.status}</span>{c.falseAlarm ? <> <span class="chip">{t(L, 'falseAlarmChip')}</span></> : null} <span title={c.priorityExplained}>priority {c.priority}</span>
      </h1>
      <p class="muted">{c.priorityExplained}</p>
      {c.viewers.length ? <p class="notice">{t(L, 'alsoViewing')} {c.viewers.map((v) => v.name).join(', ')}</p> : null}
      <div class="grid">
        <section aria-label="Post and reply">
          <div class="card">
            <strong>{author.displayName ?? author.handle}</strong> <span class="muted">@{author.handle} · {formatCount(author.followers ?? 0, L)} {t(L, 'followers')} · {post.platform} · {when((c.post as { postedAt: Date }).postedAt)}</span>
            <div class="post" id="post-text">
              {post.goneAt && !post.text ? <span class="muted">{t(L, 'wordsForgotten')}</span> : <Highlighted text={post.text} terms={terms} positive={read.positive} />}
            </div>
            {post.goneAt && !followedUp ? <p class="notice" id="post-gone">{t(L, 'postGone')}</p> : null}
            <Due at={c.dueAt} waiting={WAITING.includes(c.status)} answered={c.firstResponseAt !== null} locale={L} />
          </div>
          {c.thread.length > 1 ? (
            <div class="card">
              <h2>{t(L, 'thread')}</h2>
              {c.thread.map((p) => (
                <p>
                  <span class="muted">@{p.handle}:</span> {p.text || <span class="muted">{t(L, 'wordsForgotten')}</span>}
                </p>
              ))}
            </div>
          ) : null}
          <div class="card">
            <h2>{t(L, 'replyOn', { p: post.platform })}</h2>
            {works && !mine ? (
              <form method="post" action={`/cases/${c.id}/claim`}>
                {hidden}
                <button type="submit" data-key="c">{t(L, 'claim')}</button>
              </form>
            ) : null}
            <p>
              {t(L, 'templates')}{' '}
              {c.templates.map((t) => (
                <a class="chip" href={`/cases/${c.id}?template=${t.id}`}>
                  {t.id}
                  {t.suggestedByRules ? ' ★' : ''}
                </a>
              ))}
            </p>
            {works && (!post.goneAt || followedUp) ? (
            <form method="post" action={`/cases/${c.id}/reply`}>
              {hidden}
              <input type="hidden" name="key" value={randomUUID()} />
              <label for="reply-text">{t(L, 'yourReply')}</label>
              <textarea id="reply-text" name="text" required>
                {props.draft}
              </textarea>
              <p>
                <span id="reply-count" data-limit={String(props.limit.max)} data-count={props.limit.counting} data-signature={props.limit.signature} class="muted">
                  {props.limit.length(props.draft)} / {props.limit.max}
                </span>
              </p>
              <button type="submit">{t(L, 'send')}</button>
            </form>
            ) : null}
            {c.replies.length ? <h3>{t(L, 'replies')}</h3> : null}
            {c.replies.map((r) => (
              <div class="card">
                <div class="post">{r.text}</div>
                {r.status === 'sent' ? (
                  <p>
                    {t(L, 'sent')} {r.sentAt ? when(r.sentAt) : ''}{r.url ? <> · <a href={r.url.startsWith('http') ? r.url : '#'}>{r.url}</a></> : null}
                  </p>
                ) : r.status === 'failed' || r.status === 'dead' ? (
                  <form method="post" action={`/cases/${c.id}/replies/${r.id}/retry`}>
                    {hidden}
                    <p class="error">{t(L, 'notSent')} {r.lastError}</p>
                    <button type="submit" class="secondary">{t(L, 'retry')}</button>
                  </form>
                ) : (
                  <p class="muted">{r.status}…</p>
                )}
              </div>
            ))}
          </div>
          {works && c.status !== 'resolved' ? (
            <form method="post" action={`/cases/${c.id}/resolve`} class="buttons">
              {hidden}
              <button type="submit" class="secondary" data-key="e">{t(L, 'resolve')}</button>
              {/* Once answered, the post did need someone: no false alarm to report. */}
              {c.firstResponseAt ? null : (
                <button type="submit" class="secondary" name="falseAlarm" value="1" title={t(L, 'falseAlarmHint')}>
                  {t(L, 'falseAlarm')}
                </button>
              )}
            </form>
          ) : null}
        </section>
        <aside aria-label="Context">
          {c.notices.length ? (
            <div class="card">
              <h2>{t(L, 'notices')}</h2>
              {c.notices.map((n) => (
                <p class="notice">
                  <strong>{n.title}</strong> {n.body}
                </p>
              ))}
            </div>
          ) : null}
          <div class="card">
            <h2>{t(L, 'whyFlagged')}</h2>
            {c.flags.map((f) => (
              <p>
                <strong>{f.reason}</strong>
                <br />
                <span class="muted">
                  {f.pack}/{f.ruleId}: {f.evidence.join('; ')}
                </span>
              </p>
            ))}
            {modelReasons.length ? (
              <p class="muted">
                {t(L, 'modelReasons')}: {modelReasons.join('; ')}
              </p>
            ) : null}
          </div>
          <div class="card">
            <h2>{t(L, 'notes')}</h2>
            {c.notes.map((n) => (
              <p>
                <span class="muted">{n.author ?? 'odziv'}:</span> {n.text}
              </p>
            ))}
            <form method="post" action={`/cases/${c.id}/note`}>
              {hidden}
              <label for="note-text">{t(L, 'addNote')}</label>
              <textarea id="note-text" name="text" required maxlength={MAX_NOTE_LENGTH}></textarea>
              <button type="submit" class="secondary">{t(L, 'addNoteButton')}</button>
            </form>
          </div>
          {c.earlierCases.length ? (
            <div class="card">
              <h2>{t(L, 'earlier')}</h2>
              {c.earlierCases.map((e) => (
                <p>
                  <a href={`/cases/${e.id}`}>#{e.id}</a> {e.status}: {e.text || <span class="muted">{t(L, 'wordsForgotten')}</span>}
                </p>
              ))}
            </div>
          ) : null}
          {can(props.user, 'customers.erase') ? (
            <form method="post" action={`/cases/${c.id}/erase`} class="card">
              {hidden}
              <h2>{t(L, 'eraseCustomer')}</h2>
              <p class="muted">{t(L, 'eraseHint')}</p>
              <label>
                <input type="checkbox" name="confirm" value="1" required /> {t(L, 'eraseConfirm', { handle: author.handle })}
              </label>
              <button type="submit" class="secondary">{t(L, 'eraseButton')}</button>
            </form>
          ) : null}
          <div class="card">
            <h2>{t(L, 'history')}</h2>
            {c.history.map((h) => (
              <p class="muted">
                {when(h.at)} {h.actor ?? 'odziv'}: {h.action}
              </p>
            ))}
          </div>
        </aside>
      </div>
    </Layout>
  );
}
