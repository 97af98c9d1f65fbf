import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { savedViews } from '../../db/schema/index.ts';

/** A person's saved inbox filters, by name. */
export function listViews(database: Database, userId: number): Promise<Array<{ name: string; query: string }>> {
  return database.db.select({ name: savedViews.name, query: savedViews.query }).from(savedViews).where(eq(savedViews.userId, userId)).orderBy(savedViews.name);
}

/** Saves the inbox's filters under a name (a view of that name is replaced); a blank name saves nothing. */
export async function saveView(database: Database, userId: number, name: string, query: string): Promise<void> {
  const n = name.trim().slice(0, 60);
  if (!n) return;
  await database.db.transaction(async (tx) => {
    await tx.delete(savedViews).where(and(eq(savedViews.userId, userId), eq(savedViews.name, n)));
    await tx.insert(savedViews).values({ userId, name: n, query: query.slice(0, 500) });
  });
}
