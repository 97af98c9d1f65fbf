import type { Database } from '../../db/client.ts';
import { CASES_CHANNEL } from '../ingest/ingest.ts';
import type { Logger } from '../logger.ts';

/**
 * New and reopened cases, as they commit on any instance: one LISTEN per web process (started by
 * the first inbox that asks), fanned out to every open inbox's event stream. Before this each
 * inbox asked the database for a count every three seconds, and heard only of its own instance's
 * cases when instances were split.
 */
export class CaseEvents {
  private readonly subscribers = new Set<(newCases: number) => void>();
  private listening: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
  ) {}

  /**
   * Calls `fn` with the number of cases opened or reopened in each committed batch; `ready`
   * resolves once the process is listening (a case committed before that is not heard of).
   */
  subscribe(fn: (newCases: number) => void): { stop: () => void; ready: Promise<void> } {
    this.listening ??= this.database
      .listen(CASES_CHANNEL, (payload) => {
        let n = 1;
        try {
          const p = JSON.parse(payload) as { opened?: number; reopened?: number };
          n = (p.opened ?? 0) + (p.reopened ?? 0);
        } catch {
          // A payload of another shape still means cases changed.
        }
        for (const s of this.subscribers) s(n);
      })
      .then(() => undefined)
      .catch((err: unknown) => {
        this.log.error({ err }, 'listening for new cases failed; inboxes will not update live until it is retried');
        this.listening = undefined;
      });
    this.subscribers.add(fn);
    return { stop: () => this.subscribers.delete(fn), ready: this.listening };
  }
}
