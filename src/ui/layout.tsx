import type { Child } from 'hono/jsx';
import type { AuthUser } from '../auth/users.ts';
import { LOCALES, t, type Locale } from './i18n.ts';

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
          <a class="brand" href="/inbox">odziv</a>
          {props.user ? (
            <nav aria-label="Main">
              <a href="/inbox">{t(L, 'inbox')}</a>
              <a href="/dashboard">{t(L, 'dashboard')}</a>
              <a href="/streams">{t(L, 'streams')}</a>
              <a href="/rules">{t(L, 'rules')}</a>
              {['admin', 'marketing', 'community_manager'].includes(props.user.role) ? <a href="/alerts">{t(L, 'alerts')}</a> : null}
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
                <button type="submit" class="secondary">{t(L, 'save')}</button>
              </form>
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
                <button type="submit" class="link">{t(L, 'logout')}</button>
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
 * The analysis evidence worth marking in a post: lexicon and topic words. The model's reasons
 * ("negative words, mentioning an account", a word pair) are told in words instead, not marked.
 */
export function evidenceTerms(evidence: Record<string, string[]> | null | undefined, opts: { positive: boolean }): string[] {
  return Object.entries(evidence ?? {})
    .filter(([k]) => k !== 'model' && (opts.positive || k !== 'positive'))
    .flatMap(([, v]) => v);
}

/** Splits a post into text and highlighted matches; everything stays escaped text. */
export function Highlighted(props: { text: string; terms: string[] }) {
  const terms = [...new Set(props.terms.map((t) => t.trim()).filter((t) => t.length >= 2))].sort((a, b) => b.length - a.length);
  if (!terms.length) return <>{props.text}</>;
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Whole words only: "ne" must not light up inside "neizdrživo".
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const parts = props.text.split(re);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <mark>{p}</mark> : p))}</>;
}

/** "due in 12 min" / "overdue 3 h" for the SLA countdown (the script keeps it ticking). */
export function Due(props: { at: string | Date; waiting: boolean; locale?: Locale }) {
  const L = props.locale ?? 'en';
  const at = new Date(props.at);
  if (!props.waiting) return <span class="due done">{t(L, 'answered')}</span>;
  const mins = Math.round((at.getTime() - Date.now()) / 60_000);
  const label = mins >= 0 ? `${t(L, 'dueIn')} ${fmt(mins)}` : `${t(L, 'overdue')} ${fmt(-mins)}`;
  return (
    <time class={mins < 0 ? 'due late' : mins < 15 ? 'due soon' : 'due'} datetime={at.toISOString()} data-due={at.toISOString()} data-due-in={t(L, 'dueIn')} data-overdue={t(L, 'overdue')}>
      {label}
    </time>
  );
}

function fmt(mins: number): string {
  if (mins < 60) return `${mins} min`;
  if (mins < 48 * 60) return `${Math.round(mins / 60)} h`;
  return `${Math.round(mins / 1440)} d`;
}
