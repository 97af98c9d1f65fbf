import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Generous: CI shares two cores; a limit only says when a broken test gives up.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: more workers only contend. Each file opens its own database.
    maxWorkers: 2,
  },
});
