import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One line of a replay file: a post and when it appears, relative to the replay's start. */
export const SampleItem = z.object({
  id: z.string().min(1),
  offsetSec: z.number().min(0),
  lang: z.string().optional(),
  kind: z.string().optional(),
  script: z.enum(['latin', 'cyrillic']).optional(),
  text: z.string().min(1),
  author: z.object({
    id: z.string().min(1),
    handle: z.string().min(1),
    name: z.string().optional(),
    followers: z.number().int().min(0).optional(),
    verified: z.boolean().optional(),
  }),
  conversationId: z.string().optional(),
  inReplyToId: z.string().optional(),
  own: z.boolean().optional(),
  repost: z.boolean().optional(),
  repostOf: z.string().optional(),
  metrics: z.object({ likes: z.number(), reposts: z.number(), replies: z.number(), quotes: z.number() }).optional(),
  /** Engagement curve: [minutes after posting, likes, reposts, replies, quotes], increasing in time. */
  growth: z.array(z.array(z.number()).length(5)).optional(),
});
export type SampleItem = z.infer<typeof SampleItem>;

export const DEFAULT_SAMPLE = new URL('./sample.jsonl', import.meta.url).pathname;

/** Reads and validates a replay file; a bad line is an error naming the file and line. */
export function loadSample(path: string): SampleItem[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const items: SampleItem[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
    const parsed = SampleItem.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${path}:${i + 1}: ${issue.path.join('.')}: ${issue.message}`);
    }
    items.push(parsed.data);
  });
  return items.sort((a, b) => a.offsetSec - b.offsetSec || a.id.localeCompare(b.id));
}
