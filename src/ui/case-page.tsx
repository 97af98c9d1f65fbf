import { randomUUID } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { PlatformAdapter } from '../../adapters/types.ts';
import { authorize, can } from '../auth/permissions.ts';
import type { AuthUser } from '../auth/users.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { eraseCaseAuthor } from '../privacy/erase.ts';
import { claimCase, getCase } from '../queue/cases.ts';
import { type ChannelCapabilities, channelCapabilities } from '../queue/channel.ts';
import { addNote, MAX_NOTE_LENGTH, resolveCase, WAITING } from '../queue/lifecycle.ts';
import { requestModeration } from '../queue/moderation.ts';
import { createReply, outgoingReply, replyLength, retryReply } from '../queue/replies.ts';
import { signature } from '../queue/templates.ts';
import { formatCount, formatDateTime, type Locale, type MessageKey, t } from './i18n.ts';
import { Due, evidenceTerms, Highlighted, Layout, type UiEnv } from './layout.tsx';

/** A case: its thread, history, reply box and the actions a person may take on it. */
export function registerCasePage(app: Hono<UiEnv>, deps: Deps, guard: MiddlewareHandler<UiEnv>) {
  const guarded = {
    get: (path: string, handler: (c: Context<UiEnv>) => Response | Promise<Response>) => app.get(path, guard, handler),
    post: (path: string, handler: (c: Context<UiEnv>) => Response | Promise<Response>) => app.post(path, guard, handler),
  };

  /** The case page; `draft` is what the reply box holds (a chosen template, or a refused reply kept). */
  const casePage = async (c: Context<UiEnv>, id: number, draft: (d: Detail) => string, notice: string | undefined, status: 200 | 400 | 409 | 422 = 200) => {
    const user = c.get('user');
    const detail = await getCase(deps.database, id, { templates: deps.templates, responderName: user.name, userId: user.id });
    const adapter = deps.adapters[detail.post.platform as keyof typeof deps.adapters];
    const known =
      notice && ['claimed', 'queued', 'resolved', 'resolvedFalseAlarm', 'noteAdded', 'sendingAgain', 'customerErased', 'moderationQueued'].includes(notice)
        ? t(c.get('locale'), notice as MessageKey)
        : notice;
    return c.html(
      <CasePage
        user={user}
        csrf={c.get('csrf')}
        L={c.get('locale')}
        tz={c.get('timeZone')}
        c={detail}
        draft={draft(detail)}
        limit={replyLimit(adapter, signature(deps.config.ODZIV_SIGNATURE, user.name))}
        channel={channelCapabilities(deps.adapters, detail.post.platform, detail.post.postedAt)}
        notice={known}
      />,
      status,
    );
  };
  // Ids of up to 15 digits (JavaScript's safe integers): a longer one is no id of ours, so no route (404).
  guarded.get('/cases/:id{[0-9]{1,15}}', (c) =>
    casePage(c, Number(c.req.param('id')), (d) => d.templates.find((x) => x.id === c.req.query('template'))?.text ?? '', c.req.query('notice')),
  );

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
      await createReply(deps.database, deps.adapters, {
        caseId: id,
        actor: user,
        text,
        idempotencyKey: String(form.key || randomUUID()),
        signature: signature(deps.config.ODZIV_SIGNATURE, user.name),
        private: form.private === '1',
      });
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
    if (text.length > MAX_NOTE_LENGTH)
      throw new AppError('BAD_REQUEST', `The note is ${text.length.toLocaleString('en')} characters; at most ${MAX_NOTE_LENGTH.toLocaleString('en')}.`);
    await addNote(deps.database, id, c.get('user'), text);
    return 'noteAdded';
  });
  act('/cases/:id{[0-9]{1,15}}/erase', async (c, id, form) => {
    authorize(c.get('user'), 'customers.erase');
    if (form.confirm !== '1') throw new AppError('BAD_REQUEST', t(c.get('locale'), 'eraseConfirmMissing'));
    await eraseCaseAuthor(deps.database, id, c.get('user'));
    return 'customerErased';
  });
  act('/cases/:id{[0-9]{1,15}}/moderation', async (c, id, form) => {
    authorize(c.get('user'), 'cases.moderate');
    const action = String(form.action ?? '');
    if (action !== 'hide' && action !== 'unhide' && action !== 'delete') throw new AppError('BAD_REQUEST', 'action: expected hide, unhide or delete');
    await requestModeration(deps.database, deps.adapters, { caseId: id, actor: c.get('user'), action, reason: String(form.reason ?? '') });
    return 'moderationQueued';
  });
  act('/cases/:id{[0-9]{1,15}}/replies/:rid{[0-9]{1,15}}/retry', async (c, id) => {
    await retryReply(deps.database, id, Number(c.req.param('rid')), c.get('user'));
    return 'sendingAgain';
  });
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
  return {
    max: adapter?.maxReplyLength ?? 280,
    counting: adapter?.replyCounting ?? 'code-points',
    signature: sig ?? '',
    length: (text) => (text.trim() ? replyLength(adapter, outgoingReply(text, sig)) : 0),
  };
}

function CasePage(props: {
  user: AuthUser;
  csrf: string;
  L: Locale;
  tz: string;
  c: Detail;
  draft: string;
  limit: ReplyLimit;
  channel: ChannelCapabilities;
  notice?: string;
}) {
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
      {props.notice ? (
        <p role="status" class="card">
          {props.notice}
        </p>
      ) : null}
      <h1>
        {t(L, 'case')} {c.id}: <span class="chip">{c.status}</span>
        {c.falseAlarm ? (
          <>
            {' '}
            <span class="chip">{t(L, 'falseAlarmChip')}</span>
          </>
        ) : null}{' '}
        <span title={c.priorityExplained}>priority {c.priority}</span>
      </h1>
      <p class="muted">{c.priorityExplained}</p>
      {c.viewers.length ? (
        <p class="notice">
          {t(L, 'alsoViewing')} {c.viewers.map((v) => v.name).join(', ')}
        </p>
      ) : null}
      <div class="grid">
        <section aria-label="Post and reply">
          <div class="card">
            <strong>{author.displayName ?? author.handle}</strong>{' '}
            <span class="muted">
              @{author.handle} · {formatCount(author.followers ?? 0, L)} {t(L, 'followers')} · {post.platform} · {when((c.post as { postedAt: Date }).postedAt)}
            </span>
            <div class="post" id="post-text">
              {post.goneAt && !post.text ? (
                <span class="muted">{t(L, 'wordsForgotten')}</span>
              ) : (
                <Highlighted text={post.text} terms={terms} positive={read.positive} />
              )}
            </div>
            {post.goneAt && !followedUp ? (
              <p class="notice" id="post-gone">
                {t(L, 'postGone')}
              </p>
            ) : null}
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
                <button type="submit" data-key="c">
                  {t(L, 'claim')}
                </button>
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
                  <span
                    id="reply-count"
                    data-limit={String(props.limit.max)}
                    data-count={props.limit.counting}
                    data-signature={props.limit.signature}
                    class="muted"
                  >
                    {props.limit.length(props.draft)} / {props.limit.max}
                  </span>
                </p>
                {props.channel.privateReplyOpen && !c.replies.some((r) => r.private && r.status !== 'failed' && r.status !== 'dead') ? (
                  <p>
                    <label>
                      <input type="checkbox" name="private" value="1" id="reply-private" />{' '}
                      {t(L, 'sendPrivately', { until: when(props.channel.privateReplyUntil!) })}
                    </label>
                  </p>
                ) : null}
                <button type="submit">{t(L, 'send')}</button>
              </form>
            ) : null}
            {props.channel.privateReplyUntil && !props.channel.privateReplyOpen ? (
              <p class="muted" id="private-closed">
                {t(L, 'privateClosed', { until: when(props.channel.privateReplyUntil) })}
              </p>
            ) : null}
            {c.replies.length ? <h3>{t(L, 'replies')}</h3> : null}
            {c.replies.map((r) => (
              <div class="card">
                {r.private ? <span class="chip">{t(L, 'privateChip')}</span> : null}
                <div class="post">{r.text}</div>
                {r.status === 'sent' ? (
                  <p>
                    {t(L, 'sent')} {r.sentAt ? when(r.sentAt) : ''}
                    {r.url ? (
                      <>
                        {' '}
                        · <a href={r.url.startsWith('http') ? r.url : '#'}>{r.url}</a>
                      </>
                    ) : null}
                  </p>
                ) : r.status === 'failed' || r.status === 'dead' ? (
                  <form method="post" action={`/cases/${c.id}/replies/${r.id}/retry`}>
                    {hidden}
                    <p class="error">
                      {t(L, 'notSent')} {r.lastError}
                    </p>
                    <button type="submit" class="secondary">
                      {t(L, 'retry')}
                    </button>
                  </form>
                ) : (
                  // A reply waiting out a back-off or held for renewed credentials says why.
                  <p class="muted">
                    {r.status}…{r.lastError ? <span class="error"> {r.lastError}</span> : null}
                  </p>
                )}
              </div>
            ))}
          </div>
          {works && c.status !== 'resolved' ? (
            <form method="post" action={`/cases/${c.id}/resolve`} class="buttons">
              {hidden}
              <button type="submit" class="secondary" data-key="e">
                {t(L, 'resolve')}
              </button>
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
          {props.channel.moderation.length || c.moderations.length ? (
            <div class="card" id="moderation">
              <h2>{t(L, 'moderation')}</h2>
              {c.moderations.map((m) => (
                <p>
                  <strong>{t(L, m.action === 'delete' ? 'deletePost' : m.action)}</strong> · {m.status}
                  {m.lastError ? <span class="error"> {m.lastError}</span> : null}
                  <br />
                  <span class="muted">
                    {m.rule ? `${t(L, 'byRule')} ${m.rule}` : (m.by ?? 'odziv')}, {when(m.createdAt)}: {m.reason}
                  </span>
                </p>
              ))}
              {props.channel.moderation.length && can(props.user, 'cases.moderate') && !post.goneAt ? (
                <form method="post" action={`/cases/${c.id}/moderation`}>
                  {hidden}
                  <label for="moderation-reason">{t(L, 'moderationReason')}</label>
                  <input id="moderation-reason" name="reason" required maxlength={500} />
                  <div class="buttons">
                    {props.channel.moderation.map((a) => (
                      <button type="submit" class="secondary" name="action" value={a}>
                        {t(L, a === 'delete' ? 'deletePost' : a)}
                      </button>
                    ))}
                  </div>
                </form>
              ) : null}
            </div>
          ) : null}
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
              <button type="submit" class="secondary">
                {t(L, 'addNoteButton')}
              </button>
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
              <button type="submit" class="secondary">
                {t(L, 'eraseButton')}
              </button>
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
