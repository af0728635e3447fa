import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenPath, readScripts, runScript } from './helpers/golden.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

/**
 * Whole console sessions, compared byte for byte with test/golden/*.txt: every change in what
 * the bot says shows up as a diff there. `npm run golden -- --update` rewrites them; read the diff.
 */
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('golden transcripts', () => {
  it.each(readScripts().map((s) => [s.name, s] as const))('%s', async (_name, script) => {
    const out = await runScript(script, redis.url, randomPrefix());
    expect(out).toBe(readFileSync(goldenPath(script.name), 'utf8'));
  });
});
