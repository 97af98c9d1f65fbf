import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

/**
 * A fake Graph API on 127.0.0.1 for a Facebook Page and its linked Instagram account, after
 * developers.facebook.com: versioned paths (/v21.0/…), `access_token` + `appsecret_proof` on every
 * call, edges paged with `paging.cursors` and `paging.next` (absent on the last page), error bodies
 * `{"error": {message, type, code, error_subcode, fbtrace_id}}` (the shapes in ./graph/*.json),
 * the usage headers X-App-Usage and X-Business-Use-Case-Usage, webhook deliveries signed with
 * X-Hub-Signature-256. Faults: rate limits, transient errors, dropped connections, lost answers,
 * a broken comment, an expired token, and a comment deleted between two pages (its cursor dies).
 */
const VERSION = 'v21.0';
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'graph', name), 'utf8')) as Record<string, unknown>;
const withoutSource = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== '$source'));

/** A documented example with its {placeholders} filled in. */
export function fromFixture(name: string, values: Record<string, string | number>): Record<string, unknown> {
  let text = JSON.stringify(withoutSource(fixture(name)));
  for (const [k, v] of Object.entries(values)) {
    text = text.replaceAll(`"{${k}}"`, typeof v === 'number' ? String(v) : JSON.stringify(v)).replaceAll(`{${k}}`, String(v).replace(/["\\]/g, ''));
  }
  return JSON.parse(text) as Record<string, unknown>;
}

const graphTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+0000');

export interface FbPost {
  id: string;
  message: string;
  created: number;
  updated: number;
  from: { id: string; name: string };
  ad: boolean;
}
export interface FbComment {
  id: string;
  postId: string;
  message: string;
  created: number;
  from: { id: string; name: string };
  parent?: string;
  hidden: boolean;
  likes: number;
}
export interface IgMedia {
  id: string;
  caption: string;
  created: number;
  likes: number;
}
export interface IgComment {
  id: string;
  mediaId: string;
  text: string;
  created: number;
  from: { id: string; username: string };
  parent?: string;
  hidden: boolean;
  likes: number;
}

export type GraphFault = 'rate_limit' | 'transient' | 'drop' | 'post-then-drop' | 'broken-comment';

export class FakeGraph {
  readonly pageId = '104000000000001';
  readonly pageName = 'Vedra Telekom';
  readonly igUserId = '17841400000000001';
  readonly igUsername = 'vedratelekom';
  readonly fbPosts = new Map<string, FbPost>();
  readonly fbComments = new Map<string, FbComment>();
  readonly igMedia = new Map<string, IgMedia>();
  readonly igComments = new Map<string, IgComment>();
  /** Public replies made through the API, in order. */
  readonly posted: Array<{ platform: 'facebook' | 'instagram'; id: string; on: string; message: string }> = [];
  /** Private replies (POST /{page-id}/messages), in order. */
  readonly messages: Array<{ commentId: string; text: string; id: string }> = [];
  /** Hides, unhides and deletes, in order. */
  readonly moderated: Array<{ id: string; action: 'hide' | 'unhide' | 'delete' }> = [];
  readonly requests: string[] = [];
  readonly faults: GraphFault[] = [];
  /** Every call fails with OAuthException 190 (the Page admin changed their password). */
  tokenExpired = false;
  /** The share of the Page's budget the usage headers report. */
  usage = 5;
  /** A comment deleted when the page before it is served: its cursor then ends the paging quietly. */
  deleteBetweenPages?: string;
  private server?: Server;
  private seq = 5_000_000;
  private dropAnswer = false;

  constructor(
    readonly token: string,
    readonly appSecret: string,
  ) {}

  /** Forgets every post, comment, reply and fault (one fake serves a whole test file). */
  reset(): void {
    for (const m of [this.fbPosts, this.fbComments, this.igMedia, this.igComments]) m.clear();
    for (const l of [this.posted, this.messages, this.moderated, this.requests, this.faults]) l.length = 0;
    this.tokenExpired = false;
    this.usage = 5;
    this.deleteBetweenPages = undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as { port: number }).port}`;
  }

  private next(): string {
    return String(++this.seq);
  }

  addPost(message: string, o: { ad?: boolean; at?: number; from?: { id: string; name: string } } = {}): FbPost {
    const at = o.at ?? Date.now();
    const p: FbPost = {
      id: `${this.pageId}_${this.next()}`,
      message,
      created: at,
      updated: at,
      from: o.from ?? { id: this.pageId, name: this.pageName },
      ad: o.ad ?? false,
    };
    this.fbPosts.set(p.id, p);
    return p;
  }

  addComment(postId: string, message: string, from: { id: string; name: string }, o: { parent?: string; at?: number } = {}): FbComment {
    const at = o.at ?? Date.now();
    const c: FbComment = { id: `${postId.split('_')[1]}_${this.next()}`, postId, message, created: at, from, parent: o.parent, hidden: false, likes: 0 };
    this.fbComments.set(c.id, c);
    const post = this.fbPosts.get(postId)!;
    // A new comment moves the post's updated_time, as Graph documents.
    post.updated = Math.max(post.updated, at);
    return c;
  }

  addMedia(caption: string, at = Date.now()): IgMedia {
    const m: IgMedia = { id: `1790${this.next()}`, caption, created: at, likes: 0 };
    this.igMedia.set(m.id, m);
    return m;
  }

  addIgComment(mediaId: string, text: string, from: { id: string; username: string }, o: { parent?: string; at?: number } = {}): IgComment {
    const c: IgComment = { id: `1800${this.next()}`, mediaId, text, created: o.at ?? Date.now(), from, parent: o.parent, hidden: false, likes: 0 };
    this.igComments.set(c.id, c);
    return c;
  }

  /** A webhook delivery as Meta signs it: the body, and its X-Hub-Signature-256. */
  signed(body: unknown): { body: string; headers: Record<string, string> } {
    const text = JSON.stringify(body);
    return {
      body: text,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', this.appSecret).update(text).digest('hex')}` },
    };
  }

  /** The documented `feed` delivery for one of this fake's comments. */
  feedDelivery(c: FbComment, verb: 'add' | 'edited' | 'remove' = 'add'): Record<string, unknown> {
    const d = fromFixture('page-feed-comment.json', {
      page_id: this.pageId,
      user_id: c.from.id,
      user_name: c.from.name,
      post_id: c.postId,
      comment_id: c.id,
      parent_id: c.parent ?? c.postId,
      message: c.message,
    });
    const change = (d.entry as Array<{ changes: Array<{ value: Record<string, unknown> }> }>)[0]!.changes[0]!.value;
    change.verb = verb;
    change.created_time = Math.floor(c.created / 1000);
    return d;
  }

  igDelivery(c: IgComment): Record<string, unknown> {
    return fromFixture('instagram-comment.json', {
      ig_user_id: this.igUserId,
      user_id: c.from.id,
      username: c.from.username,
      media_id: c.mediaId,
      comment_id: c.id,
      message: c.text,
    });
  }

  listen(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    return new Promise((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve(this)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.dropAnswer) {
      this.dropAnswer = false;
      return void res.socket?.destroy();
    }
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'x-app-usage': JSON.stringify({ call_count: Math.min(this.usage, 100), total_cputime: 1, total_time: 1 }),
      'x-business-use-case-usage': JSON.stringify({
        [this.pageId]: [{ type: 'pages', call_count: this.usage, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: this.usage >= 100 ? 1 : 0 }],
      }),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, name: string, values: Record<string, string> = {}, headers: Record<string, string> = {}): void {
    this.send(res, status, fromFixture(name, values), headers);
  }

  /** An edge's page: `after` is the base64 of the last item's id; an id gone since ends the paging. */
  private pageOf<T extends { id: string }>(res: ServerResponse, path: string, url: URL, items: T[], shape: (t: T) => unknown, faultBroken = false): void {
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25) || 25);
    const after = url.searchParams.get('after');
    let start = 0;
    if (after) {
      const id = Buffer.from(after, 'base64').toString('utf8');
      const at = items.findIndex((i) => i.id === id);
      // Meta invalidates a cursor whose item was deleted: an empty page without `next`.
      if (at < 0) return this.send(res, 200, { data: [], paging: {} });
      start = at + 1;
    }
    const slice = items.slice(start, start + limit);
    const data = slice.map(shape);
    if (faultBroken && data[0]) data[0] = { ...(data[0] as object), created_time: 42 };
    const more = start + limit < items.length;
    const cursor = (i: T | undefined) => (i ? Buffer.from(i.id).toString('base64') : '');
    const paging: Record<string, unknown> = { cursors: { before: cursor(slice[0]), after: cursor(slice.at(-1)) } };
    if (more) {
      const next = new URL(`${this.url}/${VERSION}${path}`);
      for (const [k, v] of url.searchParams) if (k !== 'after' && k !== 'appsecret_proof') next.searchParams.set(k, v);
      next.searchParams.set('after', cursor(slice.at(-1)));
      paging.next = next.toString();
    }
    if (this.deleteBetweenPages && slice.some((i) => i.id === this.deleteBetweenPages)) {
      this.fbComments.delete(this.deleteBetweenPages);
      this.igComments.delete(this.deleteBetweenPages);
      this.deleteBetweenPages = undefined;
    }
    this.send(res, 200, { data, paging });
  }

  private fbCommentShape = (c: FbComment) => ({
    id: c.id,
    message: c.message,
    created_time: graphTime(c.created),
    from: c.from,
    ...(c.parent ? { parent: { id: c.parent } } : {}),
    permalink_url: `https://www.facebook.com/${c.postId}?comment_id=${c.id.split('_')[1]}`,
    like_count: c.likes,
    comment_count: [...this.fbComments.values()].filter((x) => x.parent === c.id).length,
    is_hidden: c.hidden,
  });

  private igCommentShape = (c: IgComment, withReplies: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      id: c.id,
      text: c.text,
      timestamp: graphTime(c.created),
      username: c.from.username,
      from: c.from,
      like_count: c.likes,
      hidden: c.hidden,
      ...(c.parent ? { parent_id: c.parent } : {}),
    };
    if (withReplies) {
      const replies = [...this.igComments.values()].filter((r) => r.parent === c.id).sort((a, b) => a.created - b.created);
      if (replies.length) {
        const first = replies.slice(0, 25);
        out.replies = {
          data: first.map((r) => this.igCommentShape(r, false)),
          ...(replies.length > 25
            ? { paging: { next: `${this.url}/${VERSION}/${c.id}/replies?limit=25&after=${Buffer.from(first.at(-1)!.id).toString('base64')}` } }
            : {}),
        };
      }
    }
    return out;
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const form = new URLSearchParams(raw);
    for (const [k, v] of form) if (!url.searchParams.has(k)) url.searchParams.set(k, v);
    this.requests.push(`${req.method} ${url.pathname}`);
    if (!url.pathname.startsWith(`/${VERSION}/`))
      return this.send(res, 400, { error: { message: `Unknown path components: ${url.pathname}`, type: 'OAuthException', code: 2500, fbtrace_id: 'Aver' } });
    const path = url.pathname.slice(VERSION.length + 1);
    const token = url.searchParams.get('access_token');
    const proof = createHmac('sha256', this.appSecret)
      .update(token ?? '')
      .digest('hex');
    if (token !== this.token || this.tokenExpired) return this.error(res, 400, 'error-token-expired.json');
    if (url.searchParams.get('appsecret_proof') !== proof)
      return this.send(res, 400, {
        error: { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100, fbtrace_id: 'Aproof' },
      });
    const write = req.method !== 'GET';
    const fault =
      this.faults[0] === 'post-then-drop' && !write
        ? undefined
        : this.faults[0] === 'broken-comment' && !/\/comments$/.test(path)
          ? undefined
          : this.faults.shift();
    this.dropAnswer = fault === 'post-then-drop';
    if (fault === 'rate_limit')
      return this.error(
        res,
        403,
        'error-rate-limit.json',
        {},
        {
          'x-business-use-case-usage': JSON.stringify({
            [this.pageId]: [{ type: 'pages', call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 1 }],
          }),
        },
      );
    if (fault === 'transient') return this.error(res, 500, 'error-transient.json');
    if (fault === 'drop') return void req.socket.destroy();
    const notFound = (id: string) => this.error(res, 400, 'error-not-found.json', { id });
    const parts = path.split('/').filter(Boolean);
    const [id, edge] = parts;

    // GET /?ids=a,b&fields=…: several objects at once; one missing fails the lot, as Graph does.
    if (req.method === 'GET' && !id && url.searchParams.get('ids')) {
      const ids = url.searchParams.get('ids')!.split(',');
      const missing = ids.find((i) => !this.fbComments.has(i) && !this.fbPosts.has(i) && !this.igComments.has(i));
      if (missing)
        return this.send(res, 400, {
          error: { message: `(#100) Some of the aliases you requested do not exist: ${missing}`, type: 'OAuthException', code: 100, fbtrace_id: 'Aids' },
        });
      return this.send(res, 200, Object.fromEntries(ids.map((i) => [i, this.engagement(i)])));
    }
    if (!id) return this.send(res, 400, { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100, fbtrace_id: 'Aroot' } });

    if (req.method === 'GET' && id === this.pageId && !edge) return this.send(res, 200, { id: this.pageId, name: this.pageName });
    if (req.method === 'GET' && id === this.pageId && (edge === 'feed' || edge === 'ads_posts')) {
      const list = [...this.fbPosts.values()].filter((p) => p.ad === (edge === 'ads_posts')).sort((a, b) => b.created - a.created || (b.id > a.id ? 1 : -1));
      return this.pageOf(res, path, url, list, (p) => ({
        id: p.id,
        message: p.message,
        created_time: graphTime(p.created),
        updated_time: graphTime(p.updated),
        permalink_url: `https://www.facebook.com/${p.id}`,
        from: p.from,
      }));
    }
    if (req.method === 'GET' && id === this.igUserId && !edge) {
      const fields = url.searchParams.get('fields') ?? '';
      const mc = /mentioned_comment\.comment_id\((\d+)\)/.exec(fields);
      if (mc) {
        const c = this.igComments.get(mc[1]!);
        if (!c) return notFound(mc[1]!);
        return this.send(res, 200, {
          id: this.igUserId,
          mentioned_comment: { ...this.igCommentShape(c, false), media: { id: c.mediaId, permalink: `https://www.instagram.com/p/${c.mediaId}/` } },
        });
      }
      return this.send(res, 200, { id: this.igUserId, username: this.igUsername });
    }
    if (req.method === 'GET' && id === this.igUserId && edge === 'media') {
      const list = [...this.igMedia.values()].sort((a, b) => b.created - a.created);
      return this.pageOf(res, path, url, list, (m) => ({
        id: m.id,
        caption: m.caption,
        timestamp: graphTime(m.created),
        permalink: `https://www.instagram.com/p/${m.id}/`,
        comments_count: [...this.igComments.values()].filter((c) => c.mediaId === m.id).length,
        like_count: m.likes,
      }));
    }

    // Facebook comments of a post, or replies of a comment.
    if (req.method === 'GET' && edge === 'comments' && (this.fbPosts.has(id) || this.fbComments.has(id))) {
      const stream = url.searchParams.get('filter') === 'stream';
      const onPost = this.fbPosts.has(id);
      let list = [...this.fbComments.values()].filter((c) => (onPost ? c.postId === id && (stream || !c.parent) : c.parent === id));
      list.sort((a, b) => a.created - b.created || (a.id > b.id ? 1 : -1));
      if (url.searchParams.get('order') === 'reverse_chronological') list = list.reverse();
      return this.pageOf(res, path, url, list, this.fbCommentShape, fault === 'broken-comment');
    }
    if (req.method === 'POST' && edge === 'comments' && (this.fbPosts.has(id) || this.fbComments.has(id))) {
      const message = url.searchParams.get('message') ?? '';
      if (!message.trim())
        return this.send(res, 400, { error: { message: '(#100) Missing message or attachment', type: 'OAuthException', code: 100, fbtrace_id: 'Amsg' } });
      if (message.length > 8000)
        return this.send(res, 400, { error: { message: '(#100) Message is too long', type: 'OAuthException', code: 100, fbtrace_id: 'Along' } });
      const parent = this.fbComments.get(id);
      const c = this.addComment(
        parent ? parent.postId : id,
        message,
        { id: this.pageId, name: this.pageName },
        { parent: parent ? (parent.parent ?? parent.id) : undefined },
      );
      this.posted.push({ platform: 'facebook', id: c.id, on: id, message });
      return this.send(res, 200, { id: c.id });
    }

    // Instagram comments of a media, replies of a comment.
    if (req.method === 'GET' && edge === 'comments' && this.igMedia.has(id)) {
      const list = [...this.igComments.values()].filter((c) => c.mediaId === id && !c.parent).sort((a, b) => b.created - a.created || (b.id > a.id ? 1 : -1));
      return this.pageOf(res, path, url, list, (c) => this.igCommentShape(c, true), fault === 'broken-comment');
    }
    if (req.method === 'GET' && edge === 'replies' && this.igComments.has(id)) {
      const list = [...this.igComments.values()].filter((c) => c.parent === id).sort((a, b) => a.created - b.created);
      return this.pageOf(res, path, url, list, (c) => this.igCommentShape(c, false));
    }
    if (req.method === 'POST' && edge === 'replies' && this.igComments.has(id)) {
      const top = this.igComments.get(id)!;
      const message = url.searchParams.get('message') ?? '';
      if (top.parent)
        return this.send(res, 400, {
          error: { message: '(#100) You can only reply to top-level comments', type: 'OAuthException', code: 100, fbtrace_id: 'Atop' },
        });
      if (top.hidden)
        return this.send(res, 400, {
          error: { message: '(#100) You cannot reply to a hidden comment', type: 'OAuthException', code: 100, fbtrace_id: 'Ahid' },
        });
      if ([...message].length > 2200)
        return this.send(res, 400, { error: { message: '(#100) The comment is too long', type: 'OAuthException', code: 100, fbtrace_id: 'Along' } });
      const c = this.addIgComment(top.mediaId, message, { id: this.igUserId, username: this.igUsername }, { parent: id });
      this.posted.push({ platform: 'instagram', id: c.id, on: id, message });
      return this.send(res, 200, { id: c.id });
    }

    // Private replies: one per comment, within 7 days of it.
    if (req.method === 'POST' && id === this.pageId && edge === 'messages') {
      let commentId: string | undefined;
      let text: string | undefined;
      try {
        commentId = (JSON.parse(url.searchParams.get('recipient') ?? '{}') as { comment_id?: string }).comment_id;
        text = (JSON.parse(url.searchParams.get('message') ?? '{}') as { text?: string }).text;
      } catch {
        // Named below.
      }
      const comment = commentId ? (this.fbComments.get(commentId) ?? this.igComments.get(commentId)) : undefined;
      if (!comment || !text)
        return this.send(res, 400, {
          error: {
            message: '(#100) param recipient must be a comment_id, and message.text is required',
            type: 'OAuthException',
            code: 100,
            fbtrace_id: 'Arcp',
          },
        });
      if (this.messages.some((m) => m.commentId === commentId)) return this.error(res, 400, 'error-already-replied.json');
      if (Date.now() - comment.created > 7 * 86_400_000)
        return this.send(res, 400, {
          error: { message: "(#10903) This activity can't be replied to", type: 'OAuthException', code: 10903, fbtrace_id: 'Aold' },
        });
      const m = { commentId: commentId!, text, id: `m_${this.next()}` };
      this.messages.push(m);
      return this.send(res, 200, { recipient_id: `psid_${comment.from.id}`, message_id: m.id });
    }

    // Moderation: is_hidden (Facebook), hide (Instagram), DELETE.
    const fb = this.fbComments.get(id);
    const ig = this.igComments.get(id);
    if (req.method === 'POST' && !edge && (fb || ig)) {
      const flag = fb ? url.searchParams.get('is_hidden') : url.searchParams.get('hide');
      if (flag !== 'true' && flag !== 'false')
        return this.send(res, 400, {
          error: { message: `(#100) ${fb ? 'is_hidden' : 'hide'} must be a boolean`, type: 'OAuthException', code: 100, fbtrace_id: 'Abool' },
        });
      (fb ?? ig)!.hidden = flag === 'true';
      this.moderated.push({ id, action: flag === 'true' ? 'hide' : 'unhide' });
      return this.send(res, 200, { success: true });
    }
    if (req.method === 'DELETE' && !edge && (fb || ig)) {
      this.fbComments.delete(id);
      this.igComments.delete(id);
      this.moderated.push({ id, action: 'delete' });
      return this.send(res, 200, { success: true });
    }
    if (req.method === 'GET' && !edge && (fb || ig || this.fbPosts.has(id))) return this.send(res, 200, this.engagement(id));
    if (req.method === 'POST' && id === this.igUserId && edge === 'mentions') {
      const c = this.addIgComment(
        url.searchParams.get('media_id') ?? '',
        url.searchParams.get('message') ?? '',
        { id: this.igUserId, username: this.igUsername },
        { parent: url.searchParams.get('comment_id') ?? undefined },
      );
      this.posted.push({ platform: 'instagram', id: c.id, on: url.searchParams.get('comment_id') ?? '', message: c.text });
      return this.send(res, 200, { id: c.id });
    }
    return notFound(id);
  }

  private engagement(id: string): Record<string, unknown> {
    const ig = this.igComments.get(id);
    if (ig) return { id, like_count: ig.likes };
    const likes = this.fbComments.get(id)?.likes ?? 0;
    const replies = [...this.fbComments.values()].filter((c) => c.parent === id || (c.postId === id && !c.parent)).length;
    return { id, reactions: { data: [], summary: { total_count: likes } }, comments: { data: [], summary: { total_count: replies } } };
  }
}
