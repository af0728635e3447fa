import { defineConfig } from 'vitest/config';
import { TEST_WORKERS } from './test/setup/workers.js';

// Files whose results depend on the time zone run twice: in UTC with everything else, and again
// in Pacific/Chatham (+12:45/+13:45, a quarter-hour offset and a DST switch of its own). Both are
// projects of one run, so the Chatham files share the workers instead of waiting for the end.
const ZONED = 'test/**/*{flow,catalogs,reminder-times,parse-date,calendar}*.test.ts';

const shared = {
  // Integration tests spawn redis-server and the console; two cores are plenty busy.
  testTimeout: 30_000,
  hookTimeout: 30_000,
  setupFiles: ['test/setup/check-time-zone.ts'],
};

export default defineConfig({
  test: {
    // Once per run, before any file: redis-server must exist, then one is started per worker.
    globalSetup: ['test/setup/ensure-redis.ts', 'test/setup/shared-redis.ts'],
    maxWorkers: TEST_WORKERS,
    projects: [
      { test: { ...shared, name: 'utc', include: ['test/**/*.test.ts'], env: { TZ: 'UTC' } } },
      { test: { ...shared, name: 'chatham', include: [ZONED], env: { TZ: 'Pacific/Chatham' } } },
    ],
  },
});
