/**
 * `npm run golden -- --update`: runs every script in test/golden/scripts through the real
 * console on a throwaway Redis and rewrites test/golden/<name>.txt. Without --update it only
 * says which transcripts differ.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { goldenPath, readScripts, runScript } from '../helpers/golden.js';
import { randomPrefix, startRedis } from '../helpers/redis-server.js';

const update = process.argv.includes('--update');
const redis = await startRedis();
let differ = 0;
try {
  for (const script of readScripts()) {
    const out = await runScript(script, redis.url, randomPrefix());
    const path = goldenPath(script.name);
    const same = existsSync(path) && readFileSync(path, 'utf8') === out;
    if (!same) differ++;
    if (update && !same) writeFileSync(path, out);
    process.stdout.write(`${same ? 'same   ' : update ? 'written' : 'differs'} ${path}\n`);
  }
} finally {
  await redis.stop();
}
if (differ && !update) process.exitCode = 1;
