import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Most files spend their time waiting (child processes, Redis, timers), not computing: with
// vitest's default (cores - 1, so one file at a time here) two cores sat half idle and the run
// took 14 minutes. Three files at once on two cores; more where there are more cores.
// OFFBOARD_TEST_WORKERS overrides it (1 to run the files one by one).
const workers = Number(process.env['OFFBOARD_TEST_WORKERS']) || Math.max(3, availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/ensure-redis.ts'],
    maxWorkers: workers,
    // Integration tests spawn redis-server and the console; two cores are plenty busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
