import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createReplayAdapter } from '../../adapters/replay/index.ts';

/** A replay adapter on a clock the test moves. */
export function clockedReplay(start = Date.now()) {
  let now = start;
  const holder: { adapter?: ReturnType<typeof createReplayAdapter> } = {};
  return {
    advance: (ms: number) => {
      now += ms;
    },
    now: () => new Date(now),
    adapters: (dataDir: string) => {
      holder.adapter = createReplayAdapter({ repliesFile: join(dataDir, 'replay-replies.jsonl'), now: () => now });
      return { replay: holder.adapter };
    },
    get adapter() {
      return holder.adapter!;
    },
  };
}

/**
 * A harness whose demo stream has been polled twice, `advanceMs` apart on the replay clock, so
 * the queue holds real cases from the bundled sample.
 */
export async function demoHarness(advanceMs = 60_000) {
  const { createHarness } = await import('./harness.ts');
  const clock = clockedReplay();
  const h = await createHarness({ adapters: clock.adapters });
  await h.pollOnce();
  clock.advance(advanceMs);
  await h.pollOnce();
  return { h, clock };
}

/**
 * A harness with the demo stream on a test-moved clock for the calling test file: created before
 * its tests, emptied before each, closed after. `h` is there once the tests run.
 */
export function useClockedHarness() {
  const clock = clockedReplay();
  const state = { clock } as { clock: typeof clock; h: import('./harness.ts').Harness };
  beforeAll(async () => {
    const { createHarness } = await import('./harness.ts');
    state.h = await createHarness({ adapters: clock.adapters });
  });
  afterAll(() => state.h.close());
  beforeEach(() => state.h.reset());
  return state;
}
