import type { Context, Hono, MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { PLATFORMS } from '../../adapters/types.ts';
import { LANGUAGES } from '../../rules/index.ts';
import { listPeople } from '../auth/people.ts';
import { can } from '../auth/permissions.ts';
import type { AuthUser } from '../auth/users.ts';
import type { Deps } from '../deps.ts';
import { AppError, zodIssues } from '../errors.ts';
import { BulkInput, bulkAct } from '../queue/bulk.ts';
import { listCases } from '../queue/cases.ts';
import { WAITING } from '../queue/lifecycle.ts';
import { listViews, saveView } from '../queue/views.ts';
import { formatCount, type Locale, t } from './i18n.ts';
import { Due, evidenceTerms, Highlighted, Layout, type UiEnv } from './layout.tsx';
import type { CaseEvents } from './live.ts';

const STATUSES = ['open', 'claimed', 'replied', 'snoozed', 'escalated', 'resolved'] as const;

/** The inbox's filters as a query string, without the one-time notice (views and "back" keep filters only). */
function inboxQuery(search: string): string {
  const params = new URLSearchParams(search.replace(/^\?/, ''));
  params.delete('notice');
  return params.toString().slice(0, 500);
}
/** The inbox: the queue with its filters, saved views, bulk actions and live count of new cases. */
export function registerInboxPage(app: Hono<UiEnv>, deps: Deps, guard: MiddlewareHandler<UiEnv>, live: CaseEvents) {
  const guarded = {
    get: (path: string, handler: (c: Context<UiEnv>) => Response | Promise<Response>) => app.get(path, guard, handler),
    post: (path: string, handler: (c: Context<UiEnv>) => Response | Promise<Response>) => app.post(path, guard, handler),
  };

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
    const views = await listViews(deps.database, c.get('user').id);
    const query = inboxQuery(new URL(c.req.url).search);
    const manages = can(c.get('user'), 'cases.manage');
    const people = manages ? (await listPeople(deps.database)).filter((p) => !p.disabled && p.role !== 'marketing') : [];
    return c.html(
      <InboxPage
        user={c.get('user')}
        csrf={c.get('csrf')}
        L={c.get('locale')}
        tz={c.get('timeZone')}
        cases={page.cases}
        filters={{ ...filters, mine: !!q.mine }}
        views={views.map((v) => ({ name: v.name, query: v.query }))}
        query={query}
        notice={q.notice?.slice(0, 2000)}
        people={people}
      />,
    );
  });

  // Many cases at once (an outage, a spam wave): the same rules as one, each case answered.
  guarded.post('/inbox/bulk', async (c) => {
    const L = c.get('locale');
    const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File | File[]>;
    const one = (k: string) => (typeof form[k] === 'string' && form[k] !== '' ? (form[k] as string) : undefined);
    const back = inboxQuery(one('query') ?? '');
    const ids = [form.ids ?? []].flat().map((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v));
    const assigneeId = one('assigneeId');
    const parsed = BulkInput.safeParse({
      action: one('action'),
      ids,
      team: one('team'),
      note: one('note'),
      ...(assigneeId ? { assigneeId: Number(assigneeId) } : {}),
    });
    let notice: string;
    if (!parsed.success)
      notice = zodIssues(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ');
    else {
      try {
        const results = await bulkAct(deps.database, c.get('user'), parsed.data);
        const refused = results.filter((r) => !r.ok);
        notice = [
          t(L, 'bulkDone', { done: results.length - refused.length, refused: refused.length }),
          ...refused.slice(0, 5).map((r) => `#${r.id}: ${'message' in r ? r.message : ''}`),
        ].join(' ');
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500 || e.code === 'FORBIDDEN') throw e;
        notice = e.message;
      }
    }
    return c.redirect(`/inbox?${[back, `notice=${encodeURIComponent(notice)}`].filter(Boolean).join('&')}`, 303);
  });

  guarded.post('/inbox/views', async (c) => {
    const form = await c.req.parseBody();
    const query = String(form.query ?? '').slice(0, 500);
    await saveView(deps.database, c.get('user').id, String(form.name ?? ''), query);
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
}

type CaseRow = Awaited<ReturnType<typeof listCases>>['cases'][number];

function InboxPage(props: {
  user: AuthUser;
  csrf: string;
  L: Locale;
  tz: string;
  cases: CaseRow[];
  views: Array<{ name: string; query: string }>;
  query: string;
  notice?: string;
  people: Array<{ id: number; name: string }>;
  filters: { status: string; language?: string; platform?: string; category?: string; sla?: string; mine: boolean; q?: string };
}) {
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
          {t(L, 'language')}{' '}
          <select name="language">
            {option('', f.language, t(L, 'any'))}
            {LANGUAGES.map((l) => option(l, f.language))}
          </select>
        </label>
        <label>
          {t(L, 'platform')}{' '}
          <select name="platform">
            {option('', f.platform, t(L, 'any'))}
            {PLATFORMS.map((p) => option(p, f.platform))}
          </select>
        </label>
        <label>
          {t(L, 'sla')}{' '}
          <select name="sla">
            {option('', f.sla, t(L, 'any'))}
            {option('breached', f.sla)}
            {option('due_soon', f.sla, 'due soon')}
          </select>
        </label>
        <label>
          <input type="checkbox" name="mine" value="1" checked={f.mine} /> {t(L, 'mine')}
        </label>
        <button type="submit" class="secondary">
          {t(L, 'filter')}
        </button>
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
          <button type="submit" class="secondary">
            {t(L, 'saveView')}
          </button>
        </form>
      </nav>
      {props.notice ? (
        <p role="status" class="card" id="bulk-notice">
          {props.notice}
        </p>
      ) : null}
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
          <button type="submit" class="secondary">
            {t(L, 'bulkApply')}
          </button>
        </form>
      ) : null}
      <p
        id="new-cases"
        class="notice"
        role="status"
        hidden
        data-lang={L}
        data-one={t(L, 'newCasesOne')}
        data-few={t(L, 'newCasesFew')}
        data-other={t(L, 'newCasesOther')}
      >
        <a href={`/inbox${props.query ? `?${props.query}` : ''}`}>{t(L, 'newCasesOther')}</a>
      </p>
      <table data-live-inbox>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">{t(L, 'bulkPick')}</span>
            </th>
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
                <span class="prio" title={c.priorityExplained}>
                  {c.priority}
                </span>
              </td>
              <td>
                <a href={`/cases/${c.id}`}>@{c.author.handle}</a>{' '}
                <span class="muted">
                  {formatCount(c.author.followers ?? 0, L)} {t(L, 'followers')}
                </span>
                <div class="post">
                  {c.post.goneAt && !c.post.text ? (
                    <span class="muted">{t(L, 'wordsForgotten')}</span>
                  ) : (
                    <Highlighted text={c.post.text} terms={evidenceTerms(c.evidence).terms} />
                  )}
                </div>
                <span class="chip">{c.languageGuess ? `${c.language} (${c.languageGuess})` : (c.language ?? '?')}</span>
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
