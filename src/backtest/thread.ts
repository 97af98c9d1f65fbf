import { Worker } from 'node:worker_threads';
import type { CompiledPack, PostFacts } from '../../rules/index.ts';

export type PackDefinition = Pick<CompiledPack, 'definition' | 'file'>;
export interface PageItem {
  text: string;
  facts: PostFacts;
}
export interface Verdict {
  ignored: boolean;
  flags: Array<{ pack: string; ruleId: string }>;
  category: string | null;
}
export type Judgement = { now: Verdict; candidate: Verdict };

/** What a backtest may spend: wall time in all, and heap in its thread. */
export interface Budget {
  ms: number;
  heapMb: number;
}
export const DEFAULT_BUDGET: Budget = { ms: 15 * 60_000, heapMb: 512 };

/** A backtest that went over its budget, or was cancelled: its message is what the person reads. */
export class BacktestStopped extends Error {
  override name = 'BacktestStopped';
}

/**
 * A worker thread that judges pages of posts with the packs in force and with the candidate. Each
 * page must come back before the backtest's deadline; past it, or past its heap, the thread is
 * terminated and the page rejects with the reason.
 */
export class BacktestThread {
  private constructor(
    private readonly worker: Worker,
    private readonly deadline: number,
    private readonly budget: Budget,
  ) {}

  static async start(live: readonly CompiledPack[], candidate: readonly CompiledPack[], budget: Budget = DEFAULT_BUDGET): Promise<BacktestThread> {
    const plain = (packs: readonly CompiledPack[]): PackDefinition[] => packs.map((p) => ({ definition: p.definition, file: p.file }));
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
      workerData: { live: plain(live), candidate: plain(candidate) },
      resourceLimits: { maxOldGenerationSizeMb: budget.heapMb },
    });
    const thread = new BacktestThread(worker, Date.now() + budget.ms, budget);
    await thread.next<'ready'>();
    return thread;
  }

  judge(items: PageItem[]): Promise<Judgement[]> {
    const answer = this.next<Judgement[]>();
    this.worker.postMessage(items);
    return answer;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private next<T>(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      const onMessage = (m: T) => {
        done();
        resolve(m);
      };
      const onError = (e: Error & { code?: string }) => {
        done();
        reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new BacktestStopped(`the backtest needed more than its ${this.budget.heapMb} MB of memory`) : e);
      };
      const onExit = () => {
        done();
        reject(new BacktestStopped('the backtest thread stopped'));
      };
      const timer = setTimeout(
        () => {
          done();
          void this.worker.terminate();
          reject(new BacktestStopped(`the backtest went over its time budget of ${Math.round(this.budget.ms / 1000)} s`));
        },
        Math.max(0, this.deadline - Date.now()),
      );
      this.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  }
}
