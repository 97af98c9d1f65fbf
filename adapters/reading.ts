import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AdapterError } from './errors.ts';
import type { NormalizedPost, Platform } from './types.ts';

/** A stream's stored cursor, read back with the adapter's own schema; a broken one is named, never guessed at. */
export function readCursor<T>(platform: Platform, streamName: string, cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(cursor);
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AdapterError(platform, 'invalid', `stream "${streamName}": unreadable cursor "${cursor.slice(0, 40)}"`);
  return parsed.data;
}

/**
 * An item of a platform's answer that does not read as a post: handed on as it came, for ingest
 * to set aside (audit log, post.rejected) once. Its id is the platform's when it has one, else one
 * made from its payload, so two different odd items are two entries.
 */
export function unreadablePost(platform: Platform, raw: unknown, id: string | undefined): NormalizedPost {
  const key =
    id ??
    `unreadable-${createHash('sha256')
      .update(JSON.stringify(raw) ?? '')
      .digest('hex')
      .slice(0, 16)}`;
  // Deliberately not a NormalizedPost: NormalizedPostSchema at ingest refuses it and keeps the payload.
  return { platform, platformPostId: key, raw } as unknown as NormalizedPost;
}
