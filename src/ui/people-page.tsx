import type { Context, Hono, MiddlewareHandler } from 'hono';
import { ROLES } from '../../db/schema/index.ts';
import { loginLocks } from '../auth/login.ts';
import { randomPassword } from '../auth/passwords.ts';
import { getPerson, listPeople, NewPersonInput, type Person, type PersonChange, PersonChangeInput, resetPassword, updatePerson } from '../auth/people.ts';
import { can } from '../auth/permissions.ts';
import { createUser } from '../auth/users.ts';
import type { Deps } from '../deps.ts';
import { AppError, zodIssues } from '../errors.ts';
import { formatDateTime, t } from './i18n.ts';
import { Layout, notAllowed, type UiEnv } from './layout.tsx';

/** What the page says after an action: a message, and a password to show this once. */
interface Outcome {
  message: string;
  error?: boolean;
  password?: { email: string; value: string };
}

const teamsOf = (v: unknown) => (typeof v === 'string' && v.trim() ? v.split(',') : undefined);

/** Admins add people, move them between teams and roles, disable leavers, and reset passwords. */
export function registerPeoplePage(app: Hono<UiEnv>, deps: Deps, guard: MiddlewareHandler<UiEnv>) {
  const render = async (c: Context<UiEnv>, outcome?: Outcome, status: 200 | 400 | 404 | 409 = 200) => {
    const people = await listPeople(deps.database);
    const locks = await loginLocks(
      deps.database,
      people.map((p) => p.email),
    );
    return c.html(<PeoplePage c={c} people={people} locks={locks} outcome={outcome} />, status);
  };
  /** Runs an admin's action; a person's mistake comes back on the page with what is wrong. */
  const action = (path: string, run: (c: Context<UiEnv>, form: Record<string, unknown>) => Promise<Outcome>) =>
    app.post(path, guard, async (c) => {
      if (!can(c.get('user'), 'people.manage')) return notAllowed(c);
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      try {
        return await render(c, await run(c, form));
      } catch (e) {
        if (e instanceof AppError && (e.status === 400 || e.status === 404 || e.status === 409))
          return render(c, { message: e.message, error: true }, e.status);
        throw e;
      }
    });
  const change = async (c: Context<UiEnv>, input: unknown): Promise<Outcome> => {
    const parsed = PersonChangeInput.safeParse(input);
    if (!parsed.success)
      throw new AppError(
        'BAD_REQUEST',
        zodIssues(parsed.error)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; '),
      );
    const id = Number(c.req.param('id'));
    const after = await updatePerson(deps.database, id, parsed.data as PersonChange, c.get('user'));
    return { message: t(c.get('locale'), 'personChanged', { email: after.email }) };
  };

  app.get('/people', guard, (c) => (can(c.get('user'), 'people.manage') ? render(c) : notAllowed(c)));
  action('/people', async (c, form) => {
    const blank = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const parsed = NewPersonInput.safeParse({
      email: form.email,
      name: form.name,
      role: form.role,
      teams: teamsOf(form.teams),
      password: blank(form.password),
    });
    if (!parsed.success)
      throw new AppError(
        'BAD_REQUEST',
        zodIssues(parsed.error)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; '),
      );
    const password = parsed.data.password ?? randomPassword();
    const created = await createUser(deps.database, { ...parsed.data, password }, c.get('user'));
    const L = c.get('locale');
    return { message: t(L, 'personAdded', { email: created.email }), password: parsed.data.password ? undefined : { email: created.email, value: password } };
  });
  action('/people/:id{[0-9]{1,15}}', (c, form) => change(c, { name: form.name, role: form.role, teams: teamsOf(form.teams) ?? [] }));
  action('/people/:id{[0-9]{1,15}}/disable', (c) => change(c, { disabled: true }));
  action('/people/:id{[0-9]{1,15}}/enable', (c) => change(c, { disabled: false }));
  action('/people/:id{[0-9]{1,15}}/password', async (c) => {
    const id = Number(c.req.param('id'));
    const person = await getPerson(deps.database, id);
    const value = await resetPassword(deps.database, id, c.get('user'));
    return { message: '', password: { email: person.email, value } };
  });
}

function PeoplePage(props: { c: Context<UiEnv>; people: Person[]; locks: Awaited<ReturnType<typeof loginLocks>>; outcome?: Outcome }) {
  const { c, outcome } = props;
  const L = c.get('locale');
  const hidden = <input type="hidden" name="_csrf" value={c.get('csrf')} />;
  const roleSelect = (current: string, id?: string) => (
    <select name="role" id={id} aria-label={t(L, 'role')}>
      {ROLES.map((r) => (
        <option value={r} selected={r === current}>
          {r.replace('_', ' ')}
        </option>
      ))}
    </select>
  );
  return (
    <Layout title={t(L, 'people')} user={c.get('user')} csrf={c.get('csrf')} locale={L} timeZone={c.get('timeZone')} path="/people">
      <h1>{t(L, 'people')}</h1>
      {outcome?.message ? (
        <p role={outcome.error ? 'alert' : 'status'} class={outcome.error ? 'error' : 'card'}>
          {outcome.message}
        </p>
      ) : null}
      {outcome?.password ? (
        <p role="status" class="notice" id="password-once">
          {t(L, 'passwordOnce', { email: outcome.password.email })}
          <code>{outcome.password.value}</code>
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t(L, 'name')}</th>
            <th scope="col">
              {t(L, 'role')} · {t(L, 'teams')}
            </th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          {props.people.map((p) => (
            <tr>
              <td>
                <strong>{p.name}</strong> {p.disabled ? <span class="chip">{t(L, 'disabledChip')}</span> : null}
                {(() => {
                  // Failed logins: how many, and while they must wait, until when (a reset password clears them).
                  const lock = props.locks.get(p.email.toLowerCase());
                  if (!lock) return null;
                  return (
                    <span class={lock.waitUntil ? 'chip error' : 'chip'} data-login-lock>
                      {lock.waitUntil
                        ? t(L, 'loginWaits', { n: lock.failures, until: formatDateTime(lock.waitUntil, L, c.get('timeZone')) })
                        : t(L, 'loginFailures', { n: lock.failures })}
                    </span>
                  );
                })()}
                <br />
                <span class="muted">{p.email}</span>
              </td>
              <td>
                <form method="post" action={`/people/${p.id}`} class="row-edit">
                  {hidden}
                  <input type="hidden" name="name" value={p.name} />
                  {roleSelect(p.role)}
                  <input name="teams" value={p.teams.join(', ')} aria-label={t(L, 'teams')} size={18} />
                  <button type="submit" class="secondary">
                    {t(L, 'change')}
                  </button>
                </form>
              </td>
              <td class="buttons">
                <form method="post" action={`/people/${p.id}/${p.disabled ? 'enable' : 'disable'}`} class="inline">
                  {hidden}
                  <button type="submit" class="secondary" title={p.disabled ? undefined : t(L, 'disableHint')}>
                    {p.disabled ? t(L, 'enable') : t(L, 'disable')}
                  </button>
                </form>
                <form method="post" action={`/people/${p.id}/password`} class="inline">
                  {hidden}
                  <button type="submit" class="secondary">
                    {t(L, 'resetPassword')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/people" class="card" aria-label={t(L, 'addPerson')}>
        <h2>{t(L, 'addPerson')}</h2>
        {hidden}
        <label for="person-email">{t(L, 'email')}</label>
        <input id="person-email" name="email" type="email" required />
        <label for="person-name">{t(L, 'name')}</label>
        <input id="person-name" name="name" required />
        <label for="person-role">{t(L, 'role')}</label>
        {roleSelect('responder', 'person-role')}
        <label for="person-teams">
          {t(L, 'teams')} <span class="muted">({t(L, 'teamsHint')})</span>
        </label>
        <input id="person-teams" name="teams" placeholder="care" />
        <label for="person-password">{t(L, 'passwordOptional')}</label>
        <input id="person-password" name="password" type="password" autocomplete="new-password" minlength={12} />
        <p>
          <button type="submit">{t(L, 'add')}</button>
        </p>
      </form>
    </Layout>
  );
}
