import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AlertKind } from '../../db/schema/index.ts';
import { acknowledgeAlert, audiencesOf } from '../alerts/acknowledge.ts';
import { type AlertListing, listAlerts } from '../alerts/list.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { formatDateTime, t } from './i18n.ts';
import { Layout, notAllowed, type UiEnv } from './layout.tsx';

const KINDS = ['viral', 'spike', 'sla', 'stream', 'digest', 'rule'] as const satisfies readonly AlertKind[];

interface Sample {
  caseId: number | null;
  handle: string;
  text: string;
}

/** The in-app alert list: what marketing and community managers were told, and by which channel. */
export function registerAlertsPage(app: Hono<UiEnv>, deps: Deps, guard: MiddlewareHandler<UiEnv>) {
  app.get('/alerts', guard, async (c) => {
    const user = c.get('user');
    const audiences = audiencesOf(user);
    if (!audiences.length) return notAllowed(c, 'roleHasNoAlerts');
    const status = c.req.query('status') === 'all' ? undefined : 'open';
    const kind = KINDS.find((k) => k === c.req.query('kind'));
    const rows = await listAlerts(deps.database, audiences, { status, kind, order: 'lastChanged' });
    return c.html(<AlertsPage c={c} rows={rows} showAll={!status} kind={kind} notice={c.req.query('notice')} />);
  });

  app.post('/alerts/:id{[0-9]{1,15}}/ack', guard, async (c) => {
    try {
      await acknowledgeAlert(deps.database, c.get('user'), Number(c.req.param('id')));
      return c.redirect('/alerts', 303);
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.code !== 'FORBIDDEN') return c.redirect(`/alerts?notice=${encodeURIComponent(e.message)}`, 303);
      throw e;
    }
  });
}

function AlertsPage(props: { c: Context<UiEnv>; rows: AlertListing[]; showAll: boolean; kind?: AlertKind; notice?: string }) {
  const { c } = props;
  const L = c.get('locale');
  const tz = c.get('timeZone');
  return (
    <Layout title={t(L, 'alerts')} user={c.get('user')} csrf={c.get('csrf')} locale={L} timeZone={tz} path="/alerts">
      <h1>{t(L, 'alerts')}</h1>
      {props.notice ? (
        <p class="error" role="alert">
          {props.notice}
        </p>
      ) : null}
      <nav class="kinds" aria-label="Kinds">
        {[undefined, ...KINDS].map((k) => {
          const q = new URLSearchParams({ ...(k ? { kind: k } : {}), ...(props.showAll ? { status: 'all' } : {}) }).toString();
          return k === props.kind ? (
            <strong class="chip">{k ?? 'all kinds'}</strong>
          ) : (
            <a class="chip" href={`/alerts${q ? `?${q}` : ''}`}>
              {k ?? 'all kinds'}
            </a>
          );
        })}
        {' · '}
        {props.showAll ? (
          <a href={`/alerts${props.kind ? `?kind=${props.kind}` : ''}`}>open only</a>
        ) : (
          <a href={`/alerts?status=all${props.kind ? `&kind=${props.kind}` : ''}`}>including acknowledged</a>
        )}
      </nav>
      {props.rows.length ? null : <p class="muted">{t(L, 'noAlerts')}</p>}
      {props.rows.map(({ alert: a, postText, deliveries }) => {
        const d = a.details as Record<string, unknown>;
        const caseId = a.caseId ?? (typeof d.caseId === 'number' ? d.caseId : undefined);
        const samples = Array.isArray(d.samples) ? (d.samples as Sample[]) : [];
        const sent = deliveries;
        return (
          <article class="card alert" aria-label={`${a.kind} alert`}>
            <h2>
              <span class={`chip ${a.severity === 'urgent' ? 'error' : ''}`}>
                {a.severity === 'urgent' ? 'urgent ' : ''}
                {a.kind}
              </span>{' '}
              {a.title}
            </h2>
            <p class="muted">
              {formatDateTime(a.createdAt, L, tz)}
              {a.updatedAt.getTime() !== a.createdAt.getTime() ? ` · updated ${formatDateTime(a.updatedAt, L, tz)}` : ''} · {a.audience.replace('_', ' ')} ·{' '}
              {a.status}
              {a.escalatedAt ? ` · escalated ${formatDateTime(a.escalatedAt, L, tz)}` : ''}
            </p>
            {typeof d.summary === 'string' ? <pre class="digest">{d.summary}</pre> : null}
            {caseId !== undefined ? (
              <p>
                <a href={`/cases/${caseId}`}>{t(L, 'caseN', { n: caseId })}</a>
                {postText ? `: ${postText}` : typeof d.text === 'string' ? `: ${d.text}` : ''}
              </p>
            ) : null}
            {samples.length ? (
              <ul>
                {samples.map((s) => (
                  <li>
                    {s.caseId ? <a href={`/cases/${s.caseId}`}>#{s.caseId}</a> : null} @{s.handle}: {s.text}
                  </li>
                ))}
              </ul>
            ) : null}
            {sent.length ? (
              <p class="muted">
                {sent
                  .map(
                    (x) =>
                      `${x.channel}${x.round === 'escalation' ? ' (escalation)' : ''}: ${x.status}${x.lastError && x.status !== 'sent' ? ` – ${x.lastError}` : ''}`,
                  )
                  .join(' · ')}
              </p>
            ) : null}
            {a.status === 'open' && a.kind !== 'digest' ? (
              <form method="post" action={`/alerts/${a.id}/ack`} class="inline">
                <input type="hidden" name="_csrf" value={c.get('csrf')} />
                <button type="submit">{t(L, 'acknowledge')}</button>
              </form>
            ) : null}
          </article>
        );
      })}
    </Layout>
  );
}
