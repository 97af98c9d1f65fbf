import { asc } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { streams } from '../../db/schema/index.ts';

/** Every stream's health as the API and the streams page show it: state, lag, last error, gaps, posts stored. */
export async function streamHealth(database: Database, now = Date.now()) {
  const rows = await database.db.select().from(streams).orderBy(asc(streams.id));
  return rows.map((s) => ({
    id: s.id,
    platform: s.platform,
    name: s.name,
    enabled: s.enabled,
    status: !s.enabled ? ('disabled' as const) : s.failingSince ? ('failing' as const) : s.lastSuccessAt ? ('ok' as const) : ('waiting' as const),
    lastPollAt: s.lastPollAt,
    lastSuccessAt: s.lastSuccessAt,
    lagSec: s.lastSuccessAt ? Math.round((now - s.lastSuccessAt.getTime()) / 1000) : null,
    lastError: s.lastError,
    failingSince: s.failingSince,
    consecutiveFailures: s.consecutiveFailures,
    posts: s.postsStored,
    nextPollAt: s.nextPollAt,
    rateLimit: s.rateLimit ?? null,
    gaps: s.gaps,
  }));
}
