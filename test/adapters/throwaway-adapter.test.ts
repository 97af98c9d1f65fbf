import { AdapterError, networkMessage } from '../../adapters/errors.ts';
import { unreadablePost } from '../../adapters/reading.ts';
import type { NormalizedPost, PlatformAdapter } from '../../adapters/types.ts';
import { keepsTheContract } from './conformance/contract.ts';
import { MASTODON_TOKEN, mastodonKit } from './conformance/kits.ts';

/**
 * A throwaway adapter, written here from Mastodon's documented API with nothing but fetch (no
 * hashtags, no engagement, no webhook): the mentions, oldest page first. It shows what a new
 * platform's author gets from the suite: one line below runs every case it claims against it.
 */
function bareMastodon(baseUrl: string): PlatformAdapter {
  let brandId: string | undefined;
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${MASTODON_TOKEN}`, ...init.headers },
        signal: AbortSignal.timeout(5_000),
      });
    } catch (e) {
      // A post that may have gone out is checked before it is sent again; a read is simply retried.
      throw new AdapterError('mastodon', init.method === 'POST' ? 'unknown_outcome' : 'network', networkMessage(e), undefined, { cause: e });
    }
    if (res.status === 429) {
      const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
      throw new AdapterError('mastodon', 'rate_limit', 'HTTP 429', Number.isNaN(reset) ? 60_000 : Math.max(0, reset - Date.now()));
    }
    if (res.status >= 500) throw new AdapterError('mastodon', 'server', `HTTP ${res.status}`);
    if (!res.ok) throw new AdapterError('mastodon', 'invalid', `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return res;
  }
  type Status = { id?: string; content?: unknown; created_at?: string; url?: string; account?: { id?: string; acct?: string } };
  const read = (n: { id: string; status?: Status }): NormalizedPost => {
    const s = n.status;
    if (!s?.id || !s.account?.id || !s.account.acct || typeof s.content !== 'string' || !s.created_at) return unreadablePost('mastodon', n, s?.id);
    const text = s.content
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return {
      platform: 'mastodon',
      platformPostId: s.id,
      url: s.url,
      author: { platformUserId: s.account.id, handle: s.account.acct },
      text,
      postedAt: new Date(s.created_at),
      isOwn: s.account.id === brandId,
      isRepost: false,
      raw: n,
    };
  };
  return {
    platform: 'mastodon',
    maxReplyLength: 500,
    async poll(_stream, cursor) {
      brandId ??= ((await (await call('/api/v1/accounts/verify_credentials')).json()) as { id: string }).id;
      // min_id: the page right after the cursor; newest first within it.
      const page = (await (await call(`/api/v1/notifications?types[]=mention&limit=40&min_id=${cursor ?? '0'}`)).json()) as Array<{
        id: string;
        status?: Status;
      }>;
      return { posts: page.map(read), cursor: page[0]?.id ?? cursor, more: page.length === 40 };
    },
    async reply(target, text, idempotencyKey) {
      const res = await call('/api/v1/statuses', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify({ status: text, in_reply_to_id: target.platformPostId }),
      });
      return { platformReplyId: ((await res.json()) as { id: string }).id };
    },
  };
}

// It reads no engagement, so it cannot learn of a deletion: that case is not claimed (and is skipped, visibly).
keepsTheContract([() => ({ ...mastodonKit(bareMastodon), name: 'throwaway bare-Mastodon', remove: undefined })]);
