import { readFileSync } from 'node:fs';
import { runScript } from './helpers/golden.js';
import { randomPrefix, startRedis } from './helpers/redis-server.js';
const redis = await startRedis();
const lines: string[] = []; const env: Record<string, string> = {};
for (const raw of readFileSync(process.argv[2] as string, 'utf8').split('\n')) {
  const m = /^# env (\w+)=(.*)$/.exec(raw);
  if (m) env[m[1] as string] = m[2] as string; else if (raw && !raw.startsWith('#')) lines.push(raw);
}
process.stdout.write(await runScript({ name: 'walk', env, lines }, redis.url, randomPrefix()));
await redis.stop();
