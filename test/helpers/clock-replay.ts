import { join } from 'node:path';
import { createReplayAdapter } from '../../adapters/replay/index.ts';

/** A replay adapter on a clock the test moves. */
export function clockedReplay(start = Date.now()) {
  let now = start;
  const holder: { adapter?: ReturnType<typeof createReplayAdapter> } = {};
  return {
    advance: (ms: number) => {
      now += ms;
    },
    adapters: (dataDir: string) => {
      holder.adapter = createReplayAdapter({ repliesFile: join(dataDir, 'replay-replies.jsonl'), now: () => now });
      return { replay: holder.adapter };
    },
    get adapter() {
      return holder.adapter!;
    },
  };
}
