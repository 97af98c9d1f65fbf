import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A fake Mastodon server on 127.0.0.1 following docs.joinmastodon.org: notifications newest first
 * with max_id / since_id / min_id and a Link header (rel next/prev), Status and Account entities,
 * `{"error": "…"}` bodies, X-RateLimit-Limit/Remaining/Reset (ISO 8601) on every response and 429
 * when a window is spent, Idempotency-Key on POST /api/v1/statuses, a server character limit.
 */
export interface FakeAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  url: string;
  followers_count: number;
  bot: boolean;
}

export interface FakeStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  sensitive: boolean;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  spoiler_text: string;
  language: string | null;
  edited_at: string | null;
  content: string;
  url: string;
  uri: string;
  account: FakeAccount;
  reblogs_count: number;
  favourites_count: number;
  replies_count: number;
  reblog: null;
  mentions: Array<{ id: string; username: string; url: string; acct: string }>;
  tags: Array<{ name: string; url: string }>;
}

export type MastodonFault = '429' | '503' | 'slow' | 'drop' | 'post-then-drop' | 'broken-status' | 'junk-items';

export class FakeMastodon {
  readonly accounts = new Map<string, FakeAccount>();
  readonly statuses = new Map<string, FakeStatus>();
  readonly notifications: Array<{ id: string; type: string; created_at: string; account: FakeAccount; status: FakeStatus | Record<string, unknown> | null }> =
    [];
  /** Statuses posted through the API, in order. */
  readonly posted: Array<{ id: string; status: string; inReplyTo: string | null; visibility: string; idempotencyKey: string | null }> = [];
  readonly faults: MastodonFault[] = [];
  /** Requests served, by path. */
  readonly requests: string[] = [];
  /** Before 4.3 there is no GET /api/v1/statuses?id[]=. */
  multiStatus = true;
  maxCharacters = 500;
  windowLimit = 300;
  slowMs = 1_500;
  private server?: Server;
  private dropAnswer = false;
  private seq = 110_000_000_000_000_000n;
  private used = 0;
  private windowEnds = Date.now() + 300_000;
  private readonly idempotent = new Map<string, FakeStatus>();
  readonly brand: FakeAccount;

  constructor(readonly token: string) {
    this.brand = this.addAccount('vedra', 'Vedra Telekom', 5000);
  }

  get url(): string {
    const a = this.server!.address() as { port: number };
    return `http://127.0.0.1:${a.port}`;
  }

  private nextId(): string {
    this.seq += 1_000n + BigInt(Math.floor(Math.random() * 1000));
    return String(this.seq);
  }

  addAccount(username: string, displayName: string, followers = 100, domain?: string): FakeAccount {
    const a: FakeAccount = {
      id: String(this.accounts.size + 1),
      username,
      acct: domain ? `${username}@${domain}` : username,
      display_name: displayName,
      url: `https://${domain ?? 'social.example'}/@${username}`,
      followers_count: followers,
      bot: false,
    };
    this.accounts.set(a.id, a);
    return a;
  }

  /** A status; a mention of the brand also gets its notification. */
  addStatus(
    account: FakeAccount,
    html: string,
    o: { inReplyTo?: string; visibility?: FakeStatus['visibility']; spoiler?: string; mention?: boolean; language?: string | null } = {},
  ): FakeStatus {
    const id = this.nextId();
    const parent = o.inReplyTo ? this.statuses.get(o.inReplyTo) : undefined;
    const s: FakeStatus = {
      id,
      created_at: new Date().toISOString(),
      in_reply_to_id: o.inReplyTo ?? null,
      in_reply_to_account_id: parent?.account.id ?? null,
      sensitive: !!o.spoiler,
      visibility: o.visibility ?? 'public',
      spoiler_text: o.spoiler ?? '',
      language: o.language === undefined ? 'hr' : o.language,
      edited_at: null,
      content: html,
      url: `https://social.example/@${account.acct}/${id}`,
      uri: `https://social.example/users/${account.username}/statuses/${id}`,
      account,
      reblogs_count: 0,
      favourites_count: 0,
      replies_count: 0,
      reblog: null,
      mentions: [],
      tags: [...new Set([...html.replace(/<[^>]*>/g, ' ').matchAll(/#([\p{L}\p{N}_]+)/gu)].map((t) => t[1]!.toLowerCase()))].map((name) => ({
        name,
        url: `https://social.example/tags/${name}`,
      })),
    };
    const mentions = o.mention ?? account.id !== this.brand.id;
    if (mentions) s.mentions.push({ id: this.brand.id, username: this.brand.username, url: this.brand.url, acct: this.brand.acct });
    this.statuses.set(id, s);
    if (parent) parent.replies_count++;
    if (mentions) this.notifications.unshift({ id: this.nextId(), type: 'mention', created_at: s.created_at, account, status: s });
    return s;
  }

  /** Other kinds of notification the mentions stream must not take. */
  addFavourite(account: FakeAccount, status: FakeStatus): void {
    this.notifications.unshift({ id: this.nextId(), type: 'favourite', created_at: new Date().toISOString(), account, status });
  }

  listen(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    return new Promise((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve(this)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.dropAnswer) {
      this.dropAnswer = false;
      return void res.socket?.destroy();
    }
    if (Date.now() > this.windowEnds) {
      this.windowEnds = Date.now() + 300_000;
      this.used = 0;
    }
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': String(this.windowLimit),
      'x-ratelimit-remaining': String(Math.max(0, this.windowLimit - this.used)),
      'x-ratelimit-reset': new Date(this.windowEnds).toISOString(),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.send(res, 401, { error: 'The access token is invalid' });
    this.used++;
    if (this.used > this.windowLimit) return this.send(res, 429, { error: 'Too many requests' });
    // 'post-then-drop' waits for a post: the status is created, then the answer is lost.
    const write = req.method === 'POST' && url.pathname === '/api/v1/statuses';
    const fault = this.faults[0] === 'post-then-drop' && !write ? undefined : this.faults.shift();
    this.dropAnswer = fault === 'post-then-drop';
    if (fault === '429') return this.send(res, 429, { error: 'Too many requests' }, { 'x-ratelimit-remaining': '0' });
    if (fault === '503') return this.send(res, 503, { error: 'Service Unavailable' });
    // The connection reset mid-request (a proxy restarting): no answer at all.
    if (fault === 'drop') return void req.socket.destroy();
    const path = url.pathname;
    let m: RegExpExecArray | null;

    if (req.method === 'GET' && path === '/api/v1/accounts/verify_credentials') return this.send(res, 200, this.brand);
    if (req.method === 'GET' && path === '/api/v2/instance')
      return this.send(res, 200, { domain: 'social.example', configuration: { statuses: { max_characters: this.maxCharacters } } });

    if (req.method === 'GET' && path === '/api/v1/notifications') {
      const types = url.searchParams.getAll('types[]');
      const limit = Math.min(80, Number(url.searchParams.get('limit') ?? 40) || 40);
      const after = (k: string) => (url.searchParams.get(k) ? BigInt(url.searchParams.get(k)!) : undefined);
      const minId = after('min_id');
      const sinceId = after('since_id');
      const maxId = after('max_id');
      let list = this.notifications.filter(
        (n) =>
          (!types.length || types.includes(n.type)) &&
          (maxId === undefined || BigInt(n.id) < maxId) &&
          (sinceId === undefined || BigInt(n.id) > sinceId) &&
          (minId === undefined || BigInt(n.id) > minId),
      );
      // min_id: the page immediately newer than it (its oldest items); otherwise the newest.
      list = minId !== undefined ? list.slice(-limit) : list.slice(0, limit);
      let body: unknown[] = list;
      if (fault === 'broken-status' && list[0]) body = [{ ...list[0], status: { id: (list[0].status as FakeStatus).id, content: 42 } }, ...list.slice(1)];
      // Junk, a mention without its post, and a post replying to an id no server makes (a lone surrogate).
      if (fault === 'junk-items')
        body = [
          42,
          { type: 'mention', status: null },
          ...(list[0] ? [{ ...list[0], id: '1', status: { ...(list[0].status as FakeStatus), id: '2', in_reply_to_id: '\uD800' } }] : []),
          ...list,
        ];
      const base = `${this.url}/api/v1/notifications`;
      const link = list.length ? `<${base}?max_id=${list.at(-1)!.id}>; rel="next", <${base}?min_id=${list[0]!.id}>; rel="prev"` : '';
      return this.send(res, 200, body, link ? { link } : {});
    }

    if (req.method === 'GET' && (m = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(path))) {
      const tag = decodeURIComponent(m[1]!).toLowerCase();
      const limit = Math.min(40, Number(url.searchParams.get('limit') ?? 20) || 20);
      const after = (k: string) => (url.searchParams.get(k) ? BigInt(url.searchParams.get(k)!) : undefined);
      const minId = after('min_id');
      const maxId = after('max_id');
      const text = (x: FakeStatus) => x.content.replace(/<[^>]*>/g, '').toLowerCase();
      let list = [...this.statuses.values()]
        .filter((x) => x.visibility === 'public' && new RegExp(`#${tag}(?![\\p{L}\\p{N}_])`, 'u').test(text(x)))
        .filter((x) => (minId === undefined || BigInt(x.id) > minId) && (maxId === undefined || BigInt(x.id) < maxId))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      list = minId !== undefined ? list.slice(-limit) : list.slice(0, limit);
      const base = `${this.url}${path}`;
      const link = list.length ? `<${base}?max_id=${list.at(-1)!.id}>; rel="next", <${base}?min_id=${list[0]!.id}>; rel="prev"` : '';
      return this.send(res, 200, list, link ? { link } : {});
    }
    if (req.method === 'GET' && path === '/api/v1/statuses') {
      if (!this.multiStatus) return this.send(res, 404, { error: 'Record not found' });
      const ids = url.searchParams.getAll('id[]');
      if (ids.length > 20) return this.send(res, 422, { error: 'Too many ids' });
      return this.send(res, 200, ids.map((id) => this.statuses.get(id)).filter(Boolean));
    }
    if (req.method === 'GET' && (m = /^\/api\/v1\/statuses\/(\d+)$/.exec(path))) {
      const s = this.statuses.get(m[1]!);
      return s ? this.send(res, 200, s) : this.send(res, 404, { error: 'Record not found' });
    }
    if (req.method === 'GET' && (m = /^\/api\/v1\/statuses\/(\d+)\/context$/.exec(path))) {
      const s = this.statuses.get(m[1]!);
      if (!s) return this.send(res, 404, { error: 'Record not found' });
      const ancestors: FakeStatus[] = [];
      for (let p = s.in_reply_to_id; p; p = this.statuses.get(p)?.in_reply_to_id ?? null) {
        const parent = this.statuses.get(p);
        if (!parent) break;
        ancestors.unshift(parent);
      }
      const below = (id: string): FakeStatus[] => [...this.statuses.values()].filter((x) => x.in_reply_to_id === id).flatMap((x) => [x, ...below(x.id)]);
      return this.send(res, 200, { ancestors, descendants: below(s.id) });
    }
    if (req.method === 'POST' && path === '/api/v1/statuses') {
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      if (key && this.idempotent.has(key)) return this.send(res, 200, this.idempotent.get(key));
      let body: { status?: string; in_reply_to_id?: string; visibility?: FakeStatus['visibility'] };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return this.send(res, 422, { error: 'Validation failed: Text can’t be blank' });
      }
      const text = body.status ?? '';
      if (!text.trim()) return this.send(res, 422, { error: 'Validation failed: Text can’t be blank' });
      const counted = [...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).replace(/(^|[^\w])@(\w+)@[\w.-]+\w/g, '$1@$2')].length;
      if (counted > this.maxCharacters) return this.send(res, 422, { error: `Validation failed: Text character limit of ${this.maxCharacters} exceeded` });
      if (body.in_reply_to_id && !this.statuses.has(body.in_reply_to_id)) return this.send(res, 404, { error: 'Record not found' });
      const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const s = this.addStatus(this.brand, `<p>${escaped}</p>`, { inReplyTo: body.in_reply_to_id, visibility: body.visibility, mention: false });
      this.posted.push({ id: s.id, status: text, inReplyTo: body.in_reply_to_id ?? null, visibility: s.visibility, idempotencyKey: key });
      if (key) this.idempotent.set(key, s);
      // Made, but the answer comes too late for the client: it cannot know it went out.
      if (fault === 'slow') await new Promise((r) => setTimeout(r, this.slowMs));
      return this.send(res, 200, s);
    }
    return this.send(res, 404, { error: 'Record not found' });
  }
}
