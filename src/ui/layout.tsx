import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { cyrillicToLatinMapped, hasCyrillic } from '../../rules/index.ts';
import type { AuthUser } from '../auth/users.ts';
import { LOCALES, type Locale, type MessageKey, t } from './i18n.ts';

/** What every signed-in page of the inbox finds in its context (set by the session guard). */
export type UiEnv = { Variables: { user: AuthUser; csrf: string; requestId: string; locale: Locale; timeZone: string } };

/** The answer to a role that may not see a page or do an action there: 403, in the user's language. */
export function notAllowed(c: Context<UiEnv>, message: MessageKey = 'roleCannotSee') {
  const L = c.get('locale');
  return c.html(
    <Layout title={t(L, 'notAllowed')} user={c.get('user')} csrf={c.get('csrf')} locale={L} timeZone={c.get('timeZone')} path={c.req.path}>
      <p>{t(L, message)}</p>
    </Layout>,
    403,
  );
}

/** The page shell: one stylesheet, one script module, no inline code (the CSP forbids it). */
export function Layout(props: { title: string; user?: AuthUser; csrf?: string; locale?: Locale; timeZone?: string; path?: string; children: Child }) {
  const L = props.locale ?? 'en';
  return (
    <html lang={L === 'sr' ? 'sr-Latn' : L}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · odziv</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script type="module" src="/static/app.js"></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/inbox">
            odziv
          </a>
          {props.user ? (
            <nav aria-label="Main">
              <a href="/inbox">{t(L, 'inbox')}</a>
              <a href="/dashboard">{t(L, 'dashboard')}</a>
              <a href="/streams">{t(L, 'streams')}</a>
              <a href="/rules">{t(L, 'rules')}</a>
              {['admin', 'marketing', 'community_manager'].includes(props.user.role) ? <a href="/alerts">{t(L, 'alerts')}</a> : null}
              {props.user.role === 'admin' ? <a href="/people">{t(L, 'people')}</a> : null}
              <span class="who">
                {props.user.name} · {props.user.role.replace('_', ' ')}
              </span>
              <form method="post" action="/me/preferences" class="inline prefs" aria-label={t(L, 'settings')}>
                <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
                <input type="hidden" name="next" value={props.path ?? '/inbox'} />
                <select name="locale" aria-label={t(L, 'language')}>
                  {LOCALES.map((l) => (
                    <option value={l} selected={l === L}>
                      {l === 'en' ? 'English' : l === 'hr' ? 'Hrvatski' : 'Srpski'}
                    </option>
                  ))}
                </select>
                <input name="timeZone" value={props.timeZone ?? 'Europe/Zagreb'} aria-label="Time zone" size={14} />
                <button type="submit" class="secondary">
                  {t(L, 'save')}
                </button>
              </form>
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
                <button type="submit" class="link">
                  {t(L, 'logout')}
                </button>
              </form>
            </nav>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
        <footer class="help" id="help" hidden>
          {t(L, 'keys')}
        </footer>
      </body>
    </html>
  );
}

/**
 * The analysis evidence worth marking in a post: lexicon and topic words, and apart from them the
 * positive words. The model's reasons ("negative words, written to an account", a word pair) are
 * told in words instead, not marked.
 */
export function evidenceTerms(evidence: Record<string, string[]> | null | undefined): { terms: string[]; positive: string[] } {
  const entries = Object.entries(evidence ?? {}).filter(([k]) => k !== 'model');
  return { terms: entries.filter(([k]) => k !== 'positive').flatMap(([, v]) => v), positive: evidence?.positive ?? [] };
}

const clean = (terms: string[]) => terms.map((t) => t.trim()).filter((t) => t.length >= 2);

/**
 * Splits a post into text and highlighted matches; everything stays escaped text. Positive words
 * are marked apart (`mark.pos`): "on top" in a complaint about fees is no reason it was flagged.
 */
export function Highlighted(props: { text: string; terms: string[]; positive?: string[] }) {
  const flagged = new Set(clean(props.terms).map((t) => t.toLowerCase()));
  const all = [...new Set([...clean(props.terms), ...clean(props.positive ?? [])])].sort((a, b) => b.length - a.length);
  if (!all.length) return <>{props.text}</>;
  const escaped = all.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Whole words only: "ne" must not light up inside "neizdrživo".
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  // The evidence names Cyrillic words in Latin (a text and its transliteration read alike): match
  // in the Latin form, mark the same words as written.
  const { latin, from } = hasCyrillic(props.text) ? cyrillicToLatinMapped(props.text) : { latin: props.text, from: undefined };
  const out: Child[] = [];
  let at = 0;
  for (const m of latin.matchAll(re)) {
    if (!m[0]) continue;
    const start = from ? from[m.index]! : m.index;
    const end = from ? from[m.index + m[0].length - 1]! + 1 : m.index + m[0].length;
    const shown = props.text.slice(start, end);
    out.push(props.text.slice(at, start), flagged.has(m[0].toLowerCase()) ? <mark>{shown}</mark> : <mark class="pos">{shown}</mark>);
    at = end;
  }
  out.push(props.text.slice(at));
  return <>{out}</>;
}

/** "due in 12 min" / "overdue 3 h" for the SLA countdown (the script keeps it ticking). */
export function Due(props: { at: string | Date; waiting: boolean; answered: boolean; locale?: Locale }) {
  const L = props.locale ?? 'en';
  const at = new Date(props.at);
  // Not waiting: answered, or closed without a reply (a false alarm, or handled off the platform).
  if (!props.waiting) return <span class="due done">{t(L, props.answered ? 'answered' : 'closedNoReply')}</span>;
  const mins = Math.round((at.getTime() - Date.now()) / 60_000);
  const label = mins >= 0 ? `${t(L, 'dueIn')} ${formatMinutes(mins)}` : `${t(L, 'overdue')} ${formatMinutes(-mins)}`;
  return (
    <time
      class={mins < 0 ? 'due late' : mins < 15 ? 'due soon' : 'due'}
      datetime={at.toISOString()}
      data-due={at.toISOString()}
      data-due-in={t(L, 'dueIn')}
      data-overdue={t(L, 'overdue')}
    >
      {label}
    </time>
  );
}

/** "12 min", "5 h", "3 d": a span at a glance. */
export function formatMinutes(mins: number): string {
  if (mins < 60) return `${mins} min`;
  if (mins < 48 * 60) return `${Math.round(mins / 60)} h`;
  return `${Math.round(mins / 1440)} d`;
}
