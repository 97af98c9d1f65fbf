import { z } from 'zod';
import type { ModerationAction, ModerationCapability } from '../types.ts';
import type { Graph } from './graph.ts';

const Success = z.object({ success: z.boolean() });

/**
 * Hiding, showing again and deleting a comment on a Page or its Instagram account: `POST /{id}`
 * with the platform's flag (`is_hidden` on Facebook, `hide` on Instagram), and `DELETE /{id}`.
 * Every comment odziv reads is under the brand's own posts, so every one can be moderated.
 */
export function metaModeration(graph: Graph, hideFlag: 'is_hidden' | 'hide'): ModerationCapability {
  return {
    actions: ['hide', 'unhide', 'delete'],
    everyPost: true,
    async apply(id: string, action: ModerationAction): Promise<void> {
      if (action === 'delete') await graph.call('DELETE', `/${id}`, Success);
      else await graph.call('POST', `/${id}`, Success, { [hideFlag]: action === 'hide' ? 'true' : 'false' });
    },
  };
}
