import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import twitterText from 'twitter-text';

/**
 * A fake X API v2 on 127.0.0.1 that follows the documented shapes: `data` newest first,
 * `includes.users`, `meta.{result_count,newest_id,oldest_id,next_token}`, problem-JSON errors,
 * `x-rate-limit-*` headers on every response, 429 when a window is spent. Faults can be queued.
 * The real twitter-api-v2 client talks to it.
 */
export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  conversation_id: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: Array<{ type: 'replied_to' | 'quoted' | 'retweeted'; id: string }>;
  public_metrics: { retweet_count: number; reply_count: number; like_count: number; quote_count: number; impression_count?: number };
  /** The versions of an edited post, oldest first (X's default field; one id when never edited). */
  edit_history_tweet_ids?: string[];
}

export interface FakeUser {
  id: string;
  username: string;
  name: string;
  verified: boolean;
  public_metrics: { followers_count: number; following_count: number; tweet_count: number; listed_count: number };
}

export type Fault = '503' | '500' | '429' | 'usage-cap' | 'slow' | 'drop' | 'post-then-drop' | 'broken-tweet' | 'ok';

export interface FakeXOptions {
  bearerToken: string;
  appKey: string;
  accessToken: string;
  /** Requests per endpoint per window before 429. */
  windowLimit?: number;
  windowSeconds?: number;
  /** Milliseconds a "slow" fault waits before answering. */
  slowMs?: number;
  /**
   * Tweets indexed late: invisible until this many requests were served, though their ids are
   * older than tweets served before (why a pure since_id poll misses some mentions for good).
   */
  hiddenUntilRequest?: Map<string, number>;
  /** Tweets indexed late by time, as X does: invisible until this moment (epoch ms). */
  hiddenUntil?: Map<string, number>;
  /** Mentions the timeline serves, newest first (X: 800); older ones are out of reach. */
  mentionsHorizon?: number;
  /** Check search since_ids by their snowflake time (X's seven-day window). */
  snowflakeSinceIds?: boolean;
  /** Posts the user may create per 24 hours (X's x-user-limit-24hour-* on POST /2/tweets). */
  userDayLimit?: number;
  /** Random faults when none is queued: each request draws one with this probability. */
  chaos?: { probability: number; faults: Fault[]; random: () => number };
  /**
   * Accept a repeat of an earlier post's text (X refuses it; a platform without that check shows
   * the customer the reply twice): a test of exactly-once delivery must not lean on X's check.
   */
  allowDuplicateContent?: boolean;
}

export class FakeX {
  readonly users = new Map<string, FakeUser>();
  readonly tweets: FakeTweet[] = [];
  /** Replies posted through POST /2/tweets, in order. */
  readonly posted: Array<{ id: string; text: string; inReplyTo: string; authorId: string }> = [];
  readonly faults: Fault[] = [];
  /** Tweets their authors deleted: still here for ids, but replying to one is refused. */
  readonly deleted = new Set<string>();
  /** Replies the brand hid in its conversations (PUT /2/tweets/:id/hidden). */
  readonly hidden = new Set<string>();
  /** Earlier versions of edited tweets: out of the timelines, still found by id. */
  readonly superseded = new Set<string>();
  /** Tweets search has not indexed yet (X's search lags behind new posts). */
  readonly unindexed = new Set<string>();
  readonly requests: Array<{ method: string; path: string; query: Record<string, string> }> = [];
  private readonly windows = new Map<string, { used: number; reset: number }>();
  private server?: Server;
  private brokenPage = false;
  private nextId = 10n ** 18n;
  brandId = '1';
  /** When the user's 24-hour posting window began (epoch seconds). */
  readonly dayStarted = Math.floor(Date.now() / 1000);

  constructor(readonly opts: FakeXOptions) {}

  get url(): string {
    const addr = this.server?.address();
    if (!addr || typeof addr === 'string') throw new Error('fake X is not listening');
    return `http://127.0.0.1:${addr.port}`;
  }

  async listen(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addUser(u: Partial<FakeUser> & { id: string; username: string }): FakeUser {
    const user: FakeUser = {
      name: u.username,
      verified: false,
      public_metrics: { followers_count: 100, following_count: 10, tweet_count: 50, listed_count: 0 },
      ...u,
    };
    this.users.set(user.id, user);
    return user;
  }

  /**
   * Edits a tweet as X does: the new version gets a new id (and, in this fake, a conversation of its
   * own, so an edit is only recognised by its history); the old version leaves the timelines but can
   * still be looked up by its id.
   */
  editTweet(id: string, text: string): FakeTweet {
    const old = this.tweets.find((t) => t.id === id)!;
    const history = old.edit_history_tweet_ids ?? [old.id];
    this.superseded.add(old.id);
    const { id: _id, conversation_id: _conversation, edit_history_tweet_ids: _history, ...rest } = old;
    const edited = this.addTweet({ ...rest, text });
    edited.edit_history_tweet_ids = [...history, edited.id];
    return edited;
  }

  /** Adds a tweet with a fresh, increasing id. */
  addTweet(t: Omit<FakeTweet, 'id' | 'created_at' | 'conversation_id' | 'public_metrics'> & Partial<FakeTweet>): FakeTweet {
    const createdAt = t.created_at ?? new Date().toISOString();
    // Snowflakes carry their creation time (X's ids); otherwise plain increasing numbers.
    const id = this.opts.snowflakeSinceIds ? snowflakeAt(Date.parse(createdAt), this.nextId++) : (this.nextId++).toString();
    const tweet: FakeTweet = {
      id,
      created_at: createdAt,
      conversation_id: id,
      public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 },
      ...t,
    };
    this.tweets.push(tweet);
    return tweet;
  }

  private window(key: string): { limit: number; remaining: number; reset: number; exceeded: boolean } {
    const limit = this.opts.windowLimit ?? 1_000_000;
    const now = Math.floor(Date.now() / 1000);
    let w = this.windows.get(key);
    if (!w || w.reset <= now) {
      w = { used: 0, reset: now + (this.opts.windowSeconds ?? 900) };
      this.windows.set(key, w);
    }
    w.used++;
    return { limit, remaining: Math.max(0, limit - w.used), reset: w.reset, exceeded: w.used > limit };
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    rate?: { limit: number; remaining: number; reset: number; userDay?: { limit: number; remaining: number; reset: number } },
  ): void {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (rate) {
      headers['x-rate-limit-limit'] = String(rate.limit);
      headers['x-rate-limit-remaining'] = String(rate.remaining);
      headers['x-rate-limit-reset'] = String(rate.reset);
    }
    if (rate?.userDay) {
      headers['x-user-limit-24hour-limit'] = String(rate.userDay.limit);
      headers['x-user-limit-24hour-remaining'] = String(rate.userDay.remaining);
      headers['x-user-limit-24hour-reset'] = String(rate.userDay.reset);
    }
    res.writeHead(status, headers).end(JSON.stringify(body));
  }

  private problem(res: ServerResponse, status: number, title: string, detail: string, rate?: Parameters<FakeX['send']>[3]): void {
    this.send(res, status, { title, detail, type: 'about:blank', status }, rate);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query });
    let body = '';
    for await (const chunk of req) body += chunk;
    const auth = req.headers.authorization ?? '';
    const userContext =
      auth.startsWith('OAuth ') &&
      auth.includes(`oauth_consumer_key="${this.opts.appKey}"`) &&
      auth.includes(`oauth_token="${encodeURIComponent(this.opts.accessToken)}"`);
    const appContext = auth === `Bearer ${this.opts.bearerToken}`;
    if (!userContext && !appContext) return this.problem(res, 401, 'Unauthorized', 'Unauthorized');

    const endpoint = `${req.method} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    const rate = this.window(endpoint);
    const chaos = this.opts.chaos;
    const fault =
      this.faults.shift() ?? (chaos && chaos.random() < chaos.probability ? chaos.faults[Math.floor(chaos.random() * chaos.faults.length)] : undefined);
    if (fault === 'slow') await new Promise((r) => setTimeout(r, this.opts.slowMs ?? 3_000));
    if (fault === 'drop') return void req.socket.destroy();
    // A page whose first tweet has a field of the wrong type (a platform changing a field's shape).
    this.brokenPage = fault === 'broken-tweet';
    if (fault === '503') return this.problem(res, 503, 'Service Unavailable', 'Service Unavailable', rate);
    if (fault === '500') return this.problem(res, 500, 'Internal Server Error', 'Internal Server Error', rate);
    if (fault === '429' || rate.exceeded) return this.problem(res, 429, 'Too Many Requests', 'Too Many Requests', { ...rate, remaining: 0 });
    // The plan's monthly cap: a 429 of its own kind, while the endpoint's window still has room.
    if (fault === 'usage-cap')
      return this.send(
        res,
        429,
        {
          title: 'UsageCapExceeded',
          detail: 'Usage cap exceeded: Monthly product cap',
          type: 'https://api.twitter.com/2/problems/usage-capped',
          period: 'Monthly',
          scope: 'Product',
        },
        rate,
      );

    let m: RegExpExecArray | null;
    let rateWithDay: Parameters<FakeX['send']>[3];
    if (req.method === 'GET' && (m = /^\/2\/users\/by\/username\/(\w+)$/.exec(url.pathname))) {
      const u = [...this.users.values()].find((x) => x.username.toLowerCase() === m![1]!.toLowerCase());
      if (!u)
        return this.send(
          res,
          200,
          {
            errors: [
              {
                value: m[1],
                detail: `Could not find user with username: [${m[1]}].`,
                title: 'Not Found Error',
                resource_type: 'user',
                parameter: 'username',
                resource_id: m[1],
                type: 'https://api.twitter.com/2/problems/resource-not-found',
              },
            ],
          },
          rate,
        );
      return this.send(res, 200, { data: { id: u.id, name: u.name, username: u.username } }, rate);
    }
    if (req.method === 'GET' && url.pathname === '/2/users/me') {
      if (!userContext)
        return this.problem(res, 403, 'Unsupported Authentication', 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.');
      const u = this.users.get(this.brandId)!;
      return this.send(res, 200, { data: { id: u.id, name: u.name, username: u.username } }, rate);
    }
    if (req.method === 'GET' && (m = /^\/2\/users\/(\d+)\/mentions$/.exec(url.pathname))) {
      const mention = new RegExp(`@${this.users.get(m[1]!)?.username ?? '\\0'}\\b`, 'i');
      return this.timeline(res, query, (t) => mention.test(t.text), query.pagination_token, rate, this.opts.mentionsHorizon);
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets/search/recent') {
      if (!query.query) return this.invalid(res, 'query', 'The `query` query parameter can not be empty', rate);
      // Recent search covers seven days: a since_id (a snowflake, whose time is in its high bits) or a
      // start_time older than that is a 400, as at X. Only checked when the fake's ids are snowflakes.
      const oldest = Date.now() - 7 * 86_400_000;
      if (this.opts.snowflakeSinceIds && query.since_id && snowflakeTime(query.since_id) < oldest) {
        return this.invalid(
          res,
          'since_id',
          `Invalid 'since_id':'${query.since_id}'. 'since_id' must be a tweet id created after ${new Date(oldest).toISOString()}.`,
          rate,
        );
      }
      if (query.start_time && Date.parse(query.start_time) < oldest)
        return this.invalid(
          res,
          'start_time',
          `Invalid 'start_time':'${query.start_time}'. 'start_time' must be on or after ${new Date(oldest).toISOString()}`,
          rate,
        );
      const terms = query.query
        .toLowerCase()
        .split(/\s+OR\s+|\s+/i)
        .filter((t) => t && !t.startsWith('-') && !t.includes(':'));
      const excludeRetweets = /-is:retweet/.test(query.query);
      const conversation = /conversation_id:(\d+)/.exec(query.query)?.[1];
      const from = /from:(\w+)/.exec(query.query)?.[1];
      return this.timeline(
        res,
        query,
        (t) => {
          if (this.unindexed.has(t.id)) return false;
          if (excludeRetweets && t.referenced_tweets?.some((r) => r.type === 'retweeted')) return false;
          if (conversation && t.conversation_id !== conversation) return false;
          if (from && this.users.get(t.author_id)?.username.toLowerCase() !== from.toLowerCase()) return false;
          return terms.length === 0 || terms.some((term) => t.text.toLowerCase().includes(term.replace(/^["#@]|"$/g, '')));
        },
        query.next_token ?? query.pagination_token,
        rate,
      );
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets') {
      const ids = (query.ids ?? '').split(',').filter(Boolean);
      if (!ids.length || ids.length > 100) return this.invalid(res, 'ids', 'The `ids` query parameter value must be between 1 and 100 ids', rate);
      const found = ids.map((id) => this.tweets.find((t) => t.id === id && !this.deleted.has(id))).filter((t): t is FakeTweet => !!t);
      const missing = ids.filter((id) => !found.some((t) => t.id === id));
      return this.send(
        res,
        200,
        {
          ...(found.length ? { data: found.map((t) => this.render(t, query['tweet.fields'])) } : {}),
          ...(missing.length
            ? {
                errors: missing.map((id) => ({
                  value: id,
                  detail: `Could not find tweet with ids: [${id}].`,
                  title: 'Not Found Error',
                  resource_type: 'tweet',
                  parameter: 'ids',
                  resource_id: id,
                  type: 'https://api.twitter.com/2/problems/resource-not-found',
                })),
              }
            : {}),
        },
        rate,
      );
    }
    const hide = /^\/2\/tweets\/(\d+)\/hidden$/.exec(url.pathname);
    if (req.method === 'PUT' && hide) {
      if (!userContext)
        return this.problem(res, 403, 'Unsupported Authentication', 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.');
      const tweet = this.tweets.find((t) => t.id === hide[1]);
      if (!tweet || this.deleted.has(tweet.id)) return this.problem(res, 404, 'Not Found Error', `Could not find tweet with id: [${hide[1]}].`, rate);
      const root = this.tweets.find((t) => t.id === tweet.conversation_id);
      if (root?.author_id !== this.brandId || tweet.id === root.id)
        return this.problem(res, 403, 'Forbidden', 'You cannot hide or unhide replies to a conversation that you do not own.', rate);
      let payload: { hidden?: unknown };
      try {
        payload = JSON.parse(body) as typeof payload;
      } catch {
        return this.invalid(res, 'body', 'Request body is not valid JSON', rate);
      }
      if (typeof payload.hidden !== 'boolean') return this.invalid(res, 'hidden', 'hidden must be a boolean', rate);
      if (payload.hidden) this.hidden.add(tweet.id);
      else this.hidden.delete(tweet.id);
      return this.send(res, 200, { data: { hidden: payload.hidden } }, rate);
    }
    if (req.method === 'POST' && url.pathname === '/2/tweets') {
      if (!userContext)
        return this.problem(res, 403, 'Unsupported Authentication', 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.');
      // The 24-hour cap on the user's posts: its own headers, its own 429 (the 15-minute window may be fine).
      const dayLimit = this.opts.userDayLimit;
      if (dayLimit !== undefined) {
        const reset = this.dayStarted + 86_400;
        const userDay = { limit: dayLimit, remaining: Math.max(0, dayLimit - this.posted.length - 1), reset };
        if (this.posted.length >= dayLimit)
          return this.problem(res, 429, 'Too Many Requests', 'Too Many Requests', { ...rate, userDay: { ...userDay, remaining: 0 } });
        rateWithDay = { ...rate, userDay };
      }
      let payload: { text?: string; reply?: { in_reply_to_tweet_id?: string } };
      try {
        payload = JSON.parse(body) as typeof payload;
      } catch {
        return this.invalid(res, 'body', 'Request body is not valid JSON', rate);
      }
      const parent = this.tweets.find((t) => t.id === payload.reply?.in_reply_to_tweet_id);
      if (!payload.text) return this.invalid(res, 'text', 'text is required', rate);
      // X weighs the text as twitter-text does (its documented count): emoji 2, each URL 23.
      if (twitterText.parseTweet(payload.text).weightedLength > 280) return this.invalid(res, 'text', 'Your Tweet text is too long.', rate);
      // Both are 403s at X, though the credentials are fine.
      if (payload.reply?.in_reply_to_tweet_id && (!parent || this.deleted.has(parent.id)))
        return this.problem(res, 403, 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.', rate);
      if (!this.opts.allowDuplicateContent && this.posted.some((p) => p.text === payload.text))
        return this.problem(res, 403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.', rate);
      const tweet = this.addTweet({
        text: payload.text,
        author_id: this.brandId,
        conversation_id: parent?.conversation_id,
        ...(parent ? { in_reply_to_user_id: parent.author_id, referenced_tweets: [{ type: 'replied_to' as const, id: parent.id }] } : {}),
      });
      this.posted.push({ id: tweet.id, text: tweet.text, inReplyTo: parent?.id ?? '', authorId: this.brandId });
      if (fault === 'post-then-drop') return void req.socket.destroy();
      return this.send(res, 201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } }, rateWithDay ?? rate);
    }
    return this.problem(res, 404, 'Not Found Error', `no fake route for ${req.method} ${url.pathname}`);
  }

  private invalid(res: ServerResponse, parameter: string, message: string, rate: { limit: number; remaining: number; reset: number }): void {
    this.send(
      res,
      400,
      {
        errors: [{ parameters: { [parameter]: [] }, message }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      },
      rate,
    );
  }

  /**
   * A long post (over 280 characters, X Premium) comes with `text` cut short; its whole text is in
   * `note_tweet.text`, and only when the request's `tweet.fields` asks for `note_tweet`.
   */
  private render(t: FakeTweet, fields: string | undefined): Record<string, unknown> {
    // X escapes these three in tweet text.
    const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const chars = [...t.text];
    const edits = t.edit_history_tweet_ids ?? [t.id];
    if (chars.length <= 280) return { ...t, text: escapeHtml(t.text), edit_history_tweet_ids: edits };
    const note = fields?.split(',').includes('note_tweet') ? { note_tweet: { text: escapeHtml(t.text) } } : {};
    return { ...t, text: `${escapeHtml(chars.slice(0, 279).join(''))}…`, ...note, edit_history_tweet_ids: edits };
  }

  /** Newest first; since_id exclusive; pages of max_results with an opaque next_token. */
  private timeline(
    res: ServerResponse,
    q: Record<string, string>,
    match: (t: FakeTweet) => boolean,
    token: string | undefined,
    rate: { limit: number; remaining: number; reset: number },
    horizon?: number,
  ): void {
    const max = Number(q.max_results ?? 10);
    if (!Number.isInteger(max) || max < 5 || max > 100)
      return this.invalid(res, 'max_results', `The \`max_results\` query parameter value [${q.max_results}] is not between 5 and 100`, rate);
    let list = this.tweets
      .filter((t) => match(t) && !this.deleted.has(t.id) && !this.superseded.has(t.id))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const hidden = this.opts.hiddenUntilRequest;
    if (hidden) list = list.filter((t) => (hidden.get(t.id) ?? 0) < this.requests.length);
    const late = this.opts.hiddenUntil;
    if (late) list = list.filter((t) => (late.get(t.id) ?? 0) <= Date.now());
    if (horizon !== undefined) list = list.slice(0, horizon);
    if (q.since_id) list = list.filter((t) => BigInt(t.id) > BigInt(q.since_id!));
    if (q.start_time) list = list.filter((t) => Date.parse(t.created_at) >= Date.parse(q.start_time!));
    // end_time is exclusive, and must come after start_time (X's 400 otherwise).
    if (q.end_time && q.start_time && Date.parse(q.end_time) <= Date.parse(q.start_time))
      return this.invalid(res, 'end_time', `Invalid 'end_time':'${q.end_time}'. 'end_time' must be a minimum of 10 ms after the 'start_time'`, rate);
    if (q.end_time) list = list.filter((t) => Date.parse(t.created_at) < Date.parse(q.end_time!));
    if (q.until_id) list = list.filter((t) => BigInt(t.id) < BigInt(q.until_id!));
    let start = 0;
    if (token) {
      const decoded = Buffer.from(token, 'base64url').toString();
      const m = /^p:(\d+)$/.exec(decoded);
      if (!m) return this.invalid(res, 'pagination_token', 'The `pagination_token` query parameter value is invalid', rate);
      start = list.findIndex((t) => BigInt(t.id) <= BigInt(m[1]!));
      if (start < 0) start = list.length;
    }
    const page = list.slice(start, start + max);
    const more = start + max < list.length;
    const authorIds = [...new Set(page.map((t) => t.author_id))];
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) {
      meta.newest_id = page[0]!.id;
      meta.oldest_id = page.at(-1)!.id;
    }
    if (more) meta.next_token = Buffer.from(`p:${list[start + max]!.id}`).toString('base64url');
    this.send(
      res,
      200,
      {
        ...(page.length
          ? {
              data: page.map((t, i) => (i === 0 && this.brokenPage ? { ...this.render(t, q['tweet.fields']), text: 42 } : this.render(t, q['tweet.fields']))),
              includes: { users: authorIds.map((id) => this.users.get(id)).filter(Boolean) },
            }
          : {}),
        meta,
      },
      rate,
    );
  }
}

/** When an X id (a snowflake) was made: milliseconds since 1970 are its top bits plus X's epoch. */
export const snowflakeTime = (id: string) => Number(BigInt(id) >> 22n) + 1288834974657;
/** A snowflake id for a moment; `sequence` tells apart ids of the same millisecond. */
export const snowflakeAt = (ms: number, sequence = 1n) => ((BigInt(ms - 1288834974657) << 22n) | (sequence & 0x3fffffn)).toString();
