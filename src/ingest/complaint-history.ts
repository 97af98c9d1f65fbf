/** A stored complaint of an author, as the repeat-complainer rules count them. */
export interface StoredComplaint {
  at: Date;
  /** The thread it belongs to (the post's own id when it starts one). */
  thread: string;
  /** Set when the post is an edit of an earlier one: the same complaint, written again. */
  editOf: number | null;
}

/**
 * The times of an author's earlier complaints, one per thread (its first), leaving out edits and the
 * thread being read: three posts of one thread, or a complaint and its correction, are one
 * complaint, not "the third this week".
 */
export function earlierComplaintTimes(complaints: readonly StoredComplaint[], thread: string, before: Date): Date[] {
  const first = new Map<string, Date>();
  for (const c of complaints) {
    if (c.editOf !== null || c.thread === thread || c.at > before) continue;
    const seen = first.get(c.thread);
    if (!seen || c.at < seen) first.set(c.thread, c.at);
  }
  return [...first.values()].sort((a, b) => a.getTime() - b.getTime());
}
