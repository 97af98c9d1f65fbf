import { readFileSync } from 'node:fs';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { formatPackError, loadPackText } from '../../rules/index.ts';
import { authorize, can, type Permission } from '../auth/permissions.ts';
import { type BacktestResult, parseSince } from '../backtest/backtest.ts';
import { cancelBacktest, getBacktest, recentBacktests, startBacktest } from '../backtest/jobs.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { streamHealth } from '../ingest/stream-health.ts';
import { DAILY_WINDOW_D, dashboardStats, HOURLY_WINDOW_H, timeAxis, toSeries } from '../queue/stats.ts';
import { CompareBars, StackedBars } from './charts.tsx';
import { formatDateTime, t } from './i18n.ts';
import { formatMinutes, Layout, notAllowed, type UiEnv } from './layout.tsx';

/** A pack file's text to start a candidate from ('' when it cannot be read, or is too large to edit here). */
function packSource(file: string | undefined): string {
  if (!file) return '';
  try {
    const text = readFileSync(file, 'utf8');
    return text.length <= 200_000 ? text : '';
  } catch {
    return '';
  }
}

/** "12 s", then as the SLA countdown says it ("5 min", "3 h", "2 d"). */
const elapsed = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 90 ? `${s} s` : formatMinutes(Math.round(s / 60));
};
const minutes = (m: number | null | undefined) => (m === null || m === undefined ? '—' : m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

/** Dashboards, stream health and rules pages of the inbox. */
export function registerPages(app: Hono<UiEnv>, deps: Deps, guard: MiddlewareHandler<UiEnv>) {
  const page = (path: string, permission: Permission, render: (c: Context<UiEnv>) => Promise<Response>) =>
    app.get(path, guard, async (c) => {
      if (!can(c.get('user'), permission)) return notAllowed(c);
      return render(c);
    });

  page('/dashboard', 'cases.read', async (c) => {
    const now = new Date();
    const tz = c.get('timeZone');
    const L = c.get('locale');
    const s = await dashboardStats(deps.database, now);
    const hours = timeAxis(now, HOURLY_WINDOW_H, 'hour', tz);
    const days = timeAxis(now, DAILY_WINDOW_D, 'day', tz);
    const hourly = toSeries(
      s.hourly,
      hours,
      'hour',
      tz,
      (r) => r.key ?? 'other',
      (r) => r.n,
    );
    const byLang = toSeries(
      s.daily,
      days,
      'day',
      tz,
      (r) => r.lang,
      (r) => r.complaints,
    );
    const byPlatform = toSeries(
      s.daily,
      days,
      'day',
      tz,
      (r) => r.platform,
      (r) => r.flagged,
    );
    return c.html(
      <Layout title={t(L, 'dashboard')} user={c.get('user')} csrf={c.get('csrf')} locale={L} timeZone={tz} path={c.req.path}>
        <h1>{t(L, 'dashboard')}</h1>
        <div class="grid">
          <section>
            <h2>{t(L, 'flaggedPerHour')}</h2>
            <StackedBars title={t(L, 'flaggedPerHour')} {...hourly} />
            <h2>{t(L, 'complaintsPerDay')}</h2>
            <StackedBars title={t(L, 'complaintsPerDay')} {...byLang} />
            <h2>{t(L, 'flaggedPerPlatform')}</h2>
            <StackedBars title={t(L, 'flaggedPerPlatform')} {...byPlatform} />
          </section>
          <aside>
            <div class="card">
              <h2>{t(L, 'responseTimes')}</h2>
              <p>
                {t(L, 'firstResponse')}: {t(L, 'median')} <strong>{minutes(s.times?.frp50)}</strong>, {t(L, 'p90')} <strong>{minutes(s.times?.frp90)}</strong>
              </p>
              <p>
                {t(L, 'resolution')}: {t(L, 'median')} <strong>{minutes(s.times?.res50)}</strong>, {t(L, 'p90')} <strong>{minutes(s.times?.res90)}</strong>
              </p>
              <p>
                {t(L, 'withinSla', {
                  share: s.times?.within === null || s.times?.within === undefined ? '—' : `${Math.round(Number(s.times.within) * 100)} %`,
                  n: s.times?.answered ?? 0,
                })}
              </p>
            </div>
            <div class="card">
              <h2>{t(L, 'topTopics')}</h2>
              <CompareBars
                title={t(L, 'topTopics')}
                caption={t(L, 'thisWeekLastWeek')}
                rows={s.topics.map((x) => ({ name: x.key, now: x.now, before: x.before }))}
              />
            </div>
            <div class="card">
              <h2>{t(L, 'falseAlarmsByRule')}</h2>
              {s.falseAlarms.length ? (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t(L, 'rule')}</th>
                      <th scope="col">{t(L, 'falseAlarmsOfResolved')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.falseAlarms.map((r) => (
                      <tr>
                        <td>{r.rule}</td>
                        <td>
                          {r.falseAlarms} / {r.resolved} ({Math.round((100 * r.falseAlarms) / Math.max(1, r.resolved))} %)
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p class="muted">{t(L, 'none')}</p>
              )}
            </div>
            <div class="card">
              <h2>{t(L, 'alertsRaised')}</h2>
              {s.alerts.length ? (
                s.alerts.map((a) => (
                  <p>
                    {a.kind}: <strong>{a.n}</strong>
                  </p>
                ))
              ) : (
                <p class="muted">{t(L, 'none')}</p>
              )}
            </div>
          </aside>
        </div>
      </Layout>,
    );
  });

  page('/streams', 'cases.read', async (c) => {
    const rows = await streamHealth(deps.database);
    const L = c.get('locale');
    const tz = c.get('timeZone');
    const when = (d: Date | string) => formatDateTime(d, L, tz);
    return c.html(
      <Layout title={t(L, 'streams')} user={c.get('user')} csrf={c.get('csrf')} locale={L} timeZone={tz} path={c.req.path}>
        <h1>{t(L, 'streams')}</h1>
        <table>
          <thead>
            <tr>
              <th scope="col">{t(L, 'stream')}</th>
              <th scope="col">{t(L, 'state')}</th>
              <th scope="col">{t(L, 'lastSuccess')}</th>
              <th scope="col">{t(L, 'rateLimit')}</th>
              <th scope="col">{t(L, 'lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr>
                <td>
                  {s.platform}/{s.name}
                </td>
                <td>
                  {!s.enabled ? (
                    t(L, 'streamDisabled')
                  ) : s.failingSince ? (
                    <span class="error">{t(L, 'streamFailing', { when: when(s.failingSince) })}</span>
                  ) : s.lastSuccessAt ? (
                    t(L, 'streamOk')
                  ) : (
                    t(L, 'streamWaiting')
                  )}
                </td>
                <td>
                  {s.lastSuccessAt ? (
                    <time datetime={s.lastSuccessAt.toISOString()} title={when(s.lastSuccessAt)}>
                      {t(L, 'ago', { t: elapsed(Date.now() - s.lastSuccessAt.getTime()) })}
                    </time>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {s.rateLimit?.remaining !== undefined
                    ? t(L, 'callsLeft', { n: s.rateLimit.remaining, when: s.rateLimit.resetAt ? when(s.rateLimit.resetAt) : '?' })
                    : '—'}
                </td>
                <td>
                  {s.lastError ?? '—'}
                  {s.gaps.length ? (
                    <p class="error" data-stream-gap>
                      {t(L, 'streamGap', { from: when(s.gaps.at(-1)!.from), to: when(s.gaps.at(-1)!.to), reason: s.gaps.at(-1)!.reason })}
                    </p>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  /**
   * The rules page. A refused candidate comes back in its box with the reason (422), never lost; an
   * empty box starts from the first pack in force, as its file reads now, to edit rather than retype.
   */
  const rulesPage = async (c: Context<UiEnv>, refused?: { pack: string; since: string; error: string }) => {
    const status = deps.rulebook.status();
    const recent = await recentBacktests(deps.database);
    const canBacktest = can(c.get('user'), 'rules.backtest');
    const draft = refused?.pack ?? packSource(status.packs[0]?.file);
    const L = c.get('locale');
    return c.html(
      <Layout title={t(L, 'rules')} user={c.get('user')} csrf={c.get('csrf')} locale={c.get('locale')} timeZone={c.get('timeZone')} path={c.req.path}>
        <h1>{t(L, 'rules')}</h1>
        <div class="card">
          <h2>{t(L, 'packsInForce')}</h2>
          {status.packs.map((p) => (
            <p>
              {p.name} <span class="muted">({t(L, 'packRules', { file: p.file, n: p.rules })})</span>
            </p>
          ))}
          {status.errors.length ? (
            <div role="alert">
              <h3 class="error">{t(L, 'editRejected')}</h3>
              {status.errors.map((e) => (
                <p class="error">{e}</p>
              ))}
            </div>
          ) : null}
        </div>
        {canBacktest ? (
          <form method="post" action="/rules/backtest" class="card">
            <input type="hidden" name="_csrf" value={c.get('csrf')} />
            <h2>{t(L, 'backtestTitle')}</h2>
            <label for="pack">{t(L, 'packYaml')}</label>
            <textarea id="pack" name="pack" required rows={18}>
              {draft}
            </textarea>
            <label for="since">{t(L, 'since')}</label>
            <input id="since" name="since" value={refused?.since ?? '7d'} />
            {refused ? (
              <p class="error" role="alert">
                {refused.error}
              </p>
            ) : null}
            <p>
              <button type="submit">{t(L, 'runBacktest')}</button>
            </p>
          </form>
        ) : null}
        {recent.length ? <h2>{t(L, 'recentBacktests')}</h2> : null}
        {recent.map((b) => (
          <p>
            <a href={`/rules/backtests/${b.id}`}>#{b.id}</a>{' '}
            {t(L, 'backtestLine', {
              pack: b.packName,
              date: formatDateTime(b.since, L, c.get('timeZone')),
              status: b.status,
              done: b.processed,
              total: b.total,
            })}
          </p>
        ))}
      </Layout>,
      refused ? 422 : 200,
    );
  };
  page('/rules', 'cases.read', (c) => rulesPage(c));

  app.post('/rules/backtest', guard, async (c) => {
    const user = c.get('user');
    authorize(user, 'rules.backtest');
    const form = await c.req.parseBody();
    const text = String(form.pack ?? '');
    const sinceText = String(form.since ?? '7d');
    let since: Date;
    try {
      since = parseSince(sinceText);
    } catch (e) {
      return rulesPage(c, { pack: text, since: sinceText, error: (e as Error).message });
    }
    const loaded = loadPackText(text, 'candidate.yaml');
    if (!loaded.pack) return rulesPage(c, { pack: text, since: sinceText, error: loaded.errors.map(formatPackError).join(' · ') });
    const id = await startBacktest(deps.database, deps.log, { live: deps.rulebook.current(), candidate: loaded.pack, packText: text, since, actor: user });
    return c.redirect(`/rules/backtests/${id}`, 303);
  });

  app.post('/rules/backtests/:id{[0-9]{1,15}}/cancel', guard, async (c) => {
    const id = Number(c.req.param('id'));
    try {
      await cancelBacktest(deps.database, c.get('user'), id);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'CONFLICT') throw e;
    }
    return c.redirect(`/rules/backtests/${id}`, 303);
  });

  page('/rules/backtests/:id{[0-9]{1,15}}', 'rules.backtest', async (c) => {
    const b = await getBacktest(deps.database, Number(c.req.param('id')));
    if (!b) return c.notFound();
    // Backtests stored before people could mark false alarms have no labels.
    const r = b.result as null | (Omit<BacktestResult, 'labels'> & { labels?: BacktestResult['labels'] });
    const L = c.get('locale');
    const l = r?.labels;
    return c.html(
      <Layout
        title={t(L, 'backtestN', { n: b.id, pack: b.packName })}
        user={c.get('user')}
        csrf={c.get('csrf')}
        locale={c.get('locale')}
        timeZone={c.get('timeZone')}
        path={c.req.path}
      >
        {b.status === 'running' ? <meta http-equiv="refresh" content="2" /> : null}
        <h1>{t(L, 'backtestN', { n: b.id, pack: b.packName })}</h1>
        <p>
          <progress max={Math.max(1, b.total)} value={b.processed} aria-label="Progress" />{' '}
          {t(L, 'backtestProgress', { done: b.processed, total: b.total, status: b.status })}
        </p>
        {b.status === 'running' ? (
          <form method="post" action={`/rules/backtests/${b.id}/cancel`}>
            <input type="hidden" name="_csrf" value={c.get('csrf')} />
            <button type="submit" class="secondary">
              {t(L, 'cancelBacktest')}
            </button>
          </form>
        ) : null}
        {b.error ? (
          <p class="error" role="alert">
            {b.error}
          </p>
        ) : null}
        {r ? (
          <div class="card">
            <p>{t(L, 'backtestFlagged', { now: r.flaggedNow, candidate: r.flaggedWithCandidate, added: r.newlyFlagged, removed: r.noLongerFlagged })}</p>
            {l && (l.falseAlarms || l.answered) ? (
              <p>
                {t(L, 'backtestVerdicts', {
                  falseAlarms: l.falseAlarms,
                  still: l.falseAlarmsStillFlagged,
                  answered: l.answered,
                  dropped: l.answeredNoLongerFlagged,
                })}
              </p>
            ) : null}
            {Object.entries(r.byCategory).map(([k, v]) => (
              <span class="chip">
                {k} +{v.added}/−{v.removed}
              </span>
            ))}
            <h2>{t(L, 'examplesNew')}</h2>
            {r.examples.newlyFlagged.map((e) => (
              <p class="post">
                {e.text} <span class="muted">({e.rules.join(', ')})</span>
              </p>
            ))}
            <h2>{t(L, 'examplesGone')}</h2>
            {r.examples.noLongerFlagged.map((e) => (
              <p class="post">
                {e.text} <span class="muted">({e.rules.join(', ')})</span>
              </p>
            ))}
          </div>
        ) : null}
      </Layout>,
    );
  });
}
