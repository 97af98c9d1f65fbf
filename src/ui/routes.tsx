import { readFileSync } from 'node:fs';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { languageDetector } from 'hono/language';
import { logIn } from '../auth/login.ts';
import { createSession, endSession, SESSION_COOKIE, sessionUser } from '../auth/sessions.ts';
import { setPreferences } from '../auth/users.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { client, setSessionCookie } from '../http/client.ts';
import { registerAlertsPage } from './alerts-page.tsx';
import { registerCasePage } from './case-page.tsx';
import { isLocale, LOCALES, type Locale, t } from './i18n.ts';
import { registerInboxPage } from './inbox-page.tsx';
import { Layout, notAllowed, type UiEnv } from './layout.tsx';
import { CaseEvents } from './live.ts';
import { safeNext } from './next.ts';
import { registerPages } from './pages.tsx';
import { registerPeoplePage } from './people-page.tsx';

const STATIC: Record<string, { body: string; type: string }> = {
  'app.css': { body: readFileSync(new URL('./static/app.css', import.meta.url), 'utf8'), type: 'text/css; charset=utf-8' },
  'app.js': { body: readFileSync(new URL('./static/app.js', import.meta.url), 'utf8'), type: 'text/javascript; charset=utf-8' },
};

/** No inline script or style, nothing from elsewhere: post text can never run in this page. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const csp: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CSP);
};

/**
 * Before anyone has signed in (and chosen a language), the login page speaks the browser's:
 * Bosnian readers get the Croatian (ijekavian Latin) text, Montenegrin the Serbian.
 */
const loginLanguage = languageDetector({
  order: ['header'],
  caches: false,
  supportedLanguages: [...LOCALES],
  fallbackLanguage: 'en',
  convertDetectedLanguage: (tag) => (({ bs: 'hr', cnr: 'sr' }) as Record<string, string>)[tag.toLowerCase().split('-')[0]!] ?? tag.toLowerCase().split('-')[0]!,
});

/**
 * The web inbox: server-rendered pages; forms carry the session's CSRF token. This module holds
 * what every page shares (files, CSP, sign-in, the session guard, preferences); each page's routes
 * and markup are in its own module (inbox-page, case-page, pages, alerts-page, people-page).
 */
export function uiRoutes(deps: Deps) {
  const app = new Hono<UiEnv>();
  const live = new CaseEvents(deps.database, deps.log);

  // Every page and file of the inbox gets the strict CSP (the JSON API has no use for one).
  app.use('/static/*', csp);
  for (const path of [
    '/',
    '/login',
    '/logout',
    '/inbox',
    '/inbox/*',
    '/cases/*',
    '/dashboard',
    '/streams',
    '/rules',
    '/rules/*',
    '/alerts',
    '/alerts/*',
    '/people',
    '/people/*',
  ])
    app.use(path, csp);
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
    const email = String(form.email ?? '')
      .trim()
      .toLowerCase();
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
    const timeZone = String(form.timeZone ?? '').trim() || c.get('timeZone');
    await setPreferences(deps.database, c.get('user').id, { locale, timeZone });
    return c.redirect(safeNext(String(form.next ?? '')), 303);
  });

  registerInboxPage(app, deps, guard, live);
  registerCasePage(app, deps, guard);

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
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
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
