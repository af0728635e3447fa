import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/setup/sequencer.js';
import { TEST_WORKERS } from './test/setup/workers.js';

// Files whose results depend on the time zone run twice: in UTC with everything else, and again
// in Pacific/Chatham (+12:45/+13:45, a quarter-hour offset and a DST switch of its own). Both are
// projects of one run, so the Chatham files share the workers instead of waiting for the end.
const ZONED = 'test/**/*{flow,catalogs,reminder-times,parse-date,calendar}*.test.ts';

// Pure files: no Redis, no child process, no change to process.env or timers. They share a
// worker's loaded modules (isolate: false) instead of importing the app again per file; on two
// busy cores that nearly halves their time (24.5 s to 13.9 s). Any other file, a new one, stays in
// the isolated 'utc' project: a file is listed here only once it is known to be pure.
const PURE = [
  'amount-parse',
  'calendar-offer',
  'answer-grammar',
  'boundary',
  'catalogs-grammar',
  'catalogs-style',
  'catalogs',
  'command-words',
  'deploy-files',
  'discord-config',
  'discord-render',
  'docs-links',
  'every-question',
  'export',
  'flow-advice',
  'flow-branches',
  'flow-coherence',
  'flow-property',
  'flow-walk',
  'grammar-french',
  'grammar-mid-sentence',
  'grammar-language-name',
  'grammar-turkish',
  'letter-notice',
  'list-items',
  'logger',
  'off-heap-index',
  'redis-config',
  'recent-turns',
  'resolve-case',
  'reminder-times',
  'slack-render',
  'wait-input',
  'zone-names',
].map((name) => `test/${name}.test.ts`);

// The pure files among the zoned ones: the name patterns of ZONED, over PURE.
const ZONED_PURE = PURE.filter((file) => /(flow|catalogs|reminder-times|parse-date|calendar)[^/]*\.test\.ts$/.test(file));

const shared = {
  // A backstop, not a speed check: every wait inside a test has its own bound. On a loaded
  // machine (two runs at once beside other work, load average 20 on two cores) files ran 5-7
  // times slower than alone, and a test of three console sessions (6 s alone) passed 30 s.
  testTimeout: 120_000,
  hookTimeout: 120_000,
  setupFiles: ['test/setup/check-time-zone.ts', 'test/setup/freeze-kept-records.ts'],
};

export default defineConfig({
  test: {
    // Once per run, before any file: redis-server must exist, then one is started per worker,
    // and the app is transpiled once for the child processes the end-to-end tests start.
    globalSetup: ['test/setup/ensure-redis.ts', 'test/setup/shared-redis.ts', 'test/setup/app-build.ts'],
    maxWorkers: TEST_WORKERS,
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...shared, name: 'unit', include: PURE, isolate: false, env: { TZ: 'UTC' } } },
      { test: { ...shared, name: 'utc', include: ['test/**/*.test.ts'], exclude: PURE, env: { TZ: 'UTC' } } },
      // The pure zoned files share a worker's modules in Chatham too (34.9 s to 21.5 s of CPU for
      // the Chatham files alone); the others (parse-date, calendar change TZ) stay isolated.
      { test: { ...shared, name: 'chatham-unit', include: ZONED_PURE, isolate: false, env: { TZ: 'Pacific/Chatham' } } },
      { test: { ...shared, name: 'chatham', include: [ZONED], exclude: ZONED_PURE, env: { TZ: 'Pacific/Chatham' } } },
    ],
  },
});
