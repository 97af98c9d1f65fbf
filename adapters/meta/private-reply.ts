import { z } from 'zod';
import { AdapterError } from '../errors.ts';
import type { PrivateReplyCapability } from '../types.ts';
import { type Graph, graphCodeOf } from './graph.ts';

/** Meta allows one private reply per comment, within 7 days of it. */
const WINDOW_MS = 7 * 86_400_000;
/** #10900 "Activity already replied to". */
const ALREADY_REPLIED = 10900;

/**
 * Private replies to a Facebook or Instagram comment: `POST /{page-id}/messages` with
 * `recipient.comment_id`, the same for both. No idempotency key, but one reply per comment: after
 * an unknown outcome, Meta's "already replied" is the earlier attempt having gone out.
 */
export function metaPrivateReply(graph: Graph, o: { platform: 'facebook' | 'instagram'; pageId: string; maxLength: number }): PrivateReplyCapability {
  return {
    windowMs: WINDOW_MS,
    maxLength: o.maxLength,
    async send(target, text, _key, opts = {}) {
      try {
        const sent = await graph.call('POST', `/${o.pageId}/messages`, z.object({ recipient_id: z.string().optional(), message_id: z.string() }), {
          recipient: JSON.stringify({ comment_id: target.platformPostId }),
          message: JSON.stringify({ text }),
        });
        return { platformReplyId: sent.body.message_id };
      } catch (e) {
        if (graphCodeOf(e) !== ALREADY_REPLIED) throw e;
        if (opts.mayHaveBeenSent) return { platformReplyId: `private:${target.platformPostId}` };
        throw new AdapterError(
          o.platform,
          'invalid',
          `${(e as Error).message} (this comment was already answered privately: Meta allows one private reply per comment)`,
        );
      }
    },
  };
}
