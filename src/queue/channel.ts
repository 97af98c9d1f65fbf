import type { AdapterSet } from '../../adapters/registry.ts';
import type { ModerationAction } from '../../adapters/types.ts';

/**
 * What the case's channel lets a person do beyond a public reply, from its adapter's declared
 * capabilities: the case page shows only these, and says when a private reply stops being possible.
 */
export interface ChannelCapabilities {
  /** What the platform lets the brand do to the post (none: no moderation on that channel). */
  moderation: ModerationAction[];
  /** Null when the platform has no private replies; otherwise until when one can be sent. */
  privateReplyUntil: Date | null;
  privateReplyOpen: boolean;
}

export function channelCapabilities(adapters: AdapterSet, platform: string, postedAt: Date, now = new Date()): ChannelCapabilities {
  const adapter = adapters[platform as keyof AdapterSet];
  const window = adapter?.privateReply?.windowMs;
  const until = window === undefined ? null : new Date(postedAt.getTime() + window);
  return { moderation: [...(adapter?.moderation?.actions ?? [])], privateReplyUntil: until, privateReplyOpen: !!until && until.getTime() > now.getTime() };
}
