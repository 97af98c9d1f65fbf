import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A fake Bluesky PDS/AppView on 127.0.0.1 following the XRPC lexicons odziv calls:
 * com.atproto.server.createSession/refreshSession, app.bsky.notification.listNotifications (newest
 * first, time-based `cursor`, `reasons` filter), app.bsky.feed.getPosts, com.atproto.repo.createRecord
 * and getRecord. Errors are `{"error", "message"}`; every answer has RateLimit-* headers (reset in
 * epoch seconds); access tokens can be made to expire.
 */
export interface FakeAuthor {
  did: string;
  handle: string;
  displayName: string;
}

export interface FakePost {
  uri: string;
  cid: string;
  author: FakeAuthor;
  record: {
    $type: 'app.bsky.feed.post';
    text: string;
    createdAt: string;
    reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
    facets?: unknown[];
  };
  indexedAt: string;
  likeCount: number;
  repostCount: number;
  replyCount: number;
  quoteCount: number;
}

export type BlueskyFault = '429' | '503' | 'slow' | 'drop' | 'post-then-drop' | 'junk';

export class FakeBluesky {
  readonly brand: FakeAuthor = { did: 'did:plc:vedrabrand000000000000', handle: 'vedra.bsky.social', displayName: 'Vedra Telekom' };
  readonly posts = new Map<string, FakePost>();
  /** Records other than posts (threadgates), by at:// uri. */
  readonly records = new Map<string, Record<string, unknown>>();
  readonly notifications: Array<{ uri: string; cid: string; author: FakeAuthor; reason: string; record: unknown; isRead: boolean; indexedAt: string }> = [];
  readonly created: Array<{ uri: string; text: string; parent: string; root: string; facets?: unknown[] }> = [];
  readonly faults: BlueskyFault[] = [];
  readonly requests: string[] = [];
  slowMs = 1_500;
  windowLimit = 3_000;
  private used = 0;
  private readonly access = new Map<string, string>();
  private readonly refresh = new Map<string, string>();
  private server?: Server;
  private dropAnswer = false;
  private clock = Date.now() - 3_600_000;

  constructor(readonly appPassword: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as { port: number }).port}`;
  }

  author(name: string): FakeAuthor {
    const handle = `${name}.bsky.social`;
    return { did: `did:plc:${createHash('sha256').update(handle).digest('hex').slice(0, 24)}`, handle, displayName: name[0]!.toUpperCase() + name.slice(1) };
  }

  /** A post; mentioning the brand, replying to or quoting it makes a notification. `at` sets its indexedAt. */
  addPost(author: FakeAuthor, text: string, o: { replyTo?: string; rkey?: string; at?: number; reason?: string } = {}): FakePost {
    this.clock = o.at ?? this.clock + 1_000;
    const uri = `at://${author.did}/app.bsky.feed.post/${o.rkey ?? randomBytes(7).toString('hex').slice(0, 13)}`;
    const parent = o.replyTo ? this.posts.get(o.replyTo) : undefined;
    const p: FakePost = {
      uri,
      cid: `bafyrei${createHash('sha256').update(uri).digest('hex').slice(0, 40)}`,
      author,
      record: {
        $type: 'app.bsky.feed.post',
        text,
        createdAt: new Date(this.clock).toISOString(),
        ...(parent ? { reply: { root: parent.record.reply?.root ?? { uri: parent.uri, cid: parent.cid }, parent: { uri: parent.uri, cid: parent.cid } } } : {}),
      },
      indexedAt: new Date(this.clock).toISOString(),
      likeCount: 0,
      repostCount: 0,
      replyCount: 0,
      quoteCount: 0,
    };
    this.posts.set(uri, p);
    if (parent) parent.replyCount++;
    if (author.did !== this.brand.did) {
      const reason = o.reason ?? (parent?.author.did === this.brand.did ? 'reply' : text.includes(`@${this.brand.handle}`) ? 'mention' : undefined);
      if (reason) this.notifications.push({ uri, cid: p.cid, author, reason, record: p.record, isRead: false, indexedAt: p.indexedAt });
    }
    return p;
  }

  /** Other kinds of notification the stream must not take. */
  addLike(author: FakeAuthor, post: FakePost): void {
    this.clock += 1_000;
    this.notifications.push({
      uri: `at://${author.did}/app.bsky.feed.like/${randomBytes(6).toString('hex')}`,
      cid: 'bafyreilike',
      author,
      reason: 'like',
      record: { $type: 'app.bsky.feed.like', subject: { uri: post.uri, cid: post.cid }, createdAt: new Date(this.clock).toISOString() },
      isRead: false,
      indexedAt: new Date(this.clock).toISOString(),
    });
  }

  expireAccessTokens(): void {
    this.access.clear();
  }

  listen(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    return new Promise((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve(this)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (this.dropAnswer) {
      this.dropAnswer = false;
      return void res.socket?.destroy();
    }
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'ratelimit-limit': String(this.windowLimit),
      'ratelimit-remaining': String(Math.max(0, this.windowLimit - this.used)),
      'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 300),
      'ratelimit-policy': `${this.windowLimit};w=300`,
    });
    res.end(JSON.stringify(body));
  }

  private tokens() {
    const accessJwt = `acc-${randomBytes(12).toString('hex')}`;
    const refreshJwt = `ref-${randomBytes(12).toString('hex')}`;
    this.access.set(accessJwt, this.brand.did);
    this.refresh.set(refreshJwt, this.brand.did);
    return { accessJwt, refreshJwt, did: this.brand.did, handle: this.brand.handle };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    this.requests.push(nsid);
    this.used++;
    if (this.used > this.windowLimit) return this.send(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const body = (() => {
      try {
        return JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        return {};
      }
    })();

    if (nsid === 'com.atproto.server.createSession') {
      if ((body.identifier !== this.brand.handle && body.identifier !== this.brand.did) || body.password !== this.appPassword)
        return this.send(res, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      return this.send(res, 200, this.tokens());
    }
    if (nsid === 'com.atproto.server.refreshSession') {
      if (!bearer || !this.refresh.has(bearer)) return this.send(res, 400, { error: 'ExpiredToken', message: 'Token has been revoked' });
      this.refresh.delete(bearer);
      return this.send(res, 200, this.tokens());
    }
    if (!bearer) return this.send(res, 401, { error: 'AuthMissing', message: 'Authentication Required' });
    if (!this.access.has(bearer)) return this.send(res, 400, { error: 'ExpiredToken', message: 'Token has expired' });
    // 'post-then-drop' waits for a post: the record is created, then the answer is lost.
    const fault = this.faults[0] === 'post-then-drop' && nsid !== 'com.atproto.repo.createRecord' ? undefined : this.faults.shift();
    this.dropAnswer = fault === 'post-then-drop';
    if (fault === '429') return this.send(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' });
    if (fault === '503') return this.send(res, 503, { error: 'InternalServerError', message: 'Internal Server Error' });
    // The connection reset mid-request (a proxy restarting): no answer at all.
    if (fault === 'drop') return void req.socket.destroy();

    if (nsid === 'app.bsky.notification.listNotifications') {
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50) || 50);
      const reasons = url.searchParams.getAll('reasons');
      const key = (n: { indexedAt: string; uri: string }) => `${n.indexedAt}|${n.uri}`;
      const cursor = url.searchParams.get('cursor');
      const list = this.notifications
        .filter((n) => !reasons.length || reasons.includes(n.reason))
        .sort((a, b) => (key(b) > key(a) ? 1 : -1))
        .filter((n) => !cursor || key(n) < Buffer.from(cursor, 'base64url').toString());
      const page: unknown[] = list.slice(0, limit);
      if (fault === 'junk') page.unshift(42, { uri: 'at://x', reason: 'mention' });
      const next = list.length > limit ? Buffer.from(key(list[limit - 1]!)).toString('base64url') : undefined;
      return this.send(res, 200, { notifications: page, ...(next ? { cursor: next } : {}) });
    }
    if (nsid === 'app.bsky.feed.searchPosts') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25) || 25);
      const key = (p: FakePost) => `${p.indexedAt}|${p.uri}`;
      const cursor = url.searchParams.get('cursor');
      const list = [...this.posts.values()]
        .filter((p) => q && p.record.text.toLowerCase().includes(q))
        .sort((a, b) => (key(b) > key(a) ? 1 : -1))
        .filter((p) => !cursor || key(p) < Buffer.from(cursor, 'base64url').toString());
      const next = list.length > limit ? Buffer.from(key(list[limit - 1]!)).toString('base64url') : undefined;
      return this.send(res, 200, { posts: list.slice(0, limit), ...(next ? { cursor: next } : {}), hitsTotal: list.length });
    }
    if (nsid === 'app.bsky.feed.getPosts') {
      const uris = url.searchParams.getAll('uris');
      if (uris.length > 25) return this.send(res, 400, { error: 'InvalidRequest', message: 'uris must not have more than 25 elements' });
      return this.send(res, 200, { posts: uris.map((u) => this.posts.get(u)).filter(Boolean) });
    }
    if (nsid === 'com.atproto.repo.getRecord') {
      const uri = `at://${url.searchParams.get('repo')}/${url.searchParams.get('collection')}/${url.searchParams.get('rkey')}`;
      const p = this.posts.get(uri);
      const other = this.records.get(uri);
      if (other) return this.send(res, 200, { uri, cid: 'bafyrecord', value: other });
      return p
        ? this.send(res, 200, { uri, cid: p.cid, value: p.record })
        : this.send(res, 400, { error: 'RecordNotFound', message: `Could not locate record: ${uri}` });
    }
    // A threadgate (app.bsky.feed.threadgate): its rkey is its post's, and only the brand's own threads have one.
    if (nsid === 'com.atproto.repo.putRecord' && req.method === 'POST') {
      if (body.repo !== this.brand.did) return this.send(res, 401, { error: 'InvalidToken', message: 'repo is not yours' });
      const record = body.record as { $type?: string; post?: string; hiddenReplies?: unknown } | undefined;
      const uri = `at://${this.brand.did}/${String(body.collection)}/${String(body.rkey)}`;
      if (body.collection !== 'app.bsky.feed.threadgate' || record?.$type !== 'app.bsky.feed.threadgate')
        return this.send(res, 400, { error: 'InvalidRequest', message: 'Invalid record: $type must be app.bsky.feed.threadgate' });
      if (record.post !== `at://${this.brand.did}/app.bsky.feed.post/${String(body.rkey)}` || !this.posts.has(record.post))
        return this.send(res, 400, { error: 'InvalidRequest', message: 'threadgate post must be the thread root with the same rkey' });
      if (!Array.isArray(record.hiddenReplies) || record.hiddenReplies.length > 300)
        return this.send(res, 400, { error: 'InvalidRequest', message: 'Record/hiddenReplies must be an array of at most 300' });
      this.records.set(uri, record as Record<string, unknown>);
      return this.send(res, 200, { uri, cid: 'bafyrecord' });
    }
    if (nsid === 'com.atproto.repo.createRecord' && req.method === 'POST') {
      const record = body.record as FakePost['record'] | undefined;
      const rkey = String(body.rkey ?? '');
      if (body.repo !== this.brand.did) return this.send(res, 401, { error: 'InvalidToken', message: 'repo is not yours' });
      if (!/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/.test(rkey))
        return this.send(res, 400, { error: 'InvalidRequest', message: 'Invalid record key: not a TID' });
      if (!record || typeof record.text !== 'string') return this.send(res, 400, { error: 'InvalidRequest', message: 'Record/text must be a string' });
      if ([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(record.text)].length > 300)
        return this.send(res, 400, {
          error: 'InvalidRequest',
          message: 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes',
        });
      const uri = `at://${this.brand.did}/app.bsky.feed.post/${rkey}`;
      if (this.posts.has(uri)) return this.send(res, 400, { error: 'InvalidRequest', message: 'Record already exists' });
      const parent = record.reply ? this.posts.get(record.reply.parent.uri) : undefined;
      if (record.reply && !parent) return this.send(res, 400, { error: 'InvalidRequest', message: 'reply parent not found' });
      const p = this.addPost(this.brand, record.text, { replyTo: parent?.uri, rkey });
      p.record.facets = record.facets;
      this.created.push({ uri, text: record.text, parent: record.reply?.parent.uri ?? '', root: record.reply?.root.uri ?? '', facets: record.facets });
      if (fault === 'slow') await new Promise((r) => setTimeout(r, this.slowMs));
      return this.send(res, 200, { uri, cid: p.cid });
    }
    return this.send(res, 400, { error: 'MethodNotImplemented', message: `Method Not Implemented: ${nsid}` });
  }
}
