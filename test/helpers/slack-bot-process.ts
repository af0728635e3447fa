import { Redis } from 'ioredis';
import { startSlack } from '../../adapters/slack/index.js';
import { openRuntime } from '../../jobs/runtime.js';
import { jsonLines } from '../../src/log.js';

/**
 * The Slack adapter in its own OS process, as `npm run serve` runs it (real Bolt over HTTP,
 * the runtime's engine and store, the durable inbox), so a test can SIGKILL it right after it
 * acknowledged and start another. Env: REDIS_URL, PREFIX, API_URL, SECRET, CLAIM_IDLE_MS, and
 * INBOX=memory for the old in-memory path (to show what it loses).
 * Prints "PORT <n>" once it listens; its log goes to stderr, one JSON line each.
 */
const env = process.env;
const redisUrl = env['REDIS_URL'] ?? '';
const prefix = env['PREFIX'] ?? 'offboard';
const log = jsonLines((line) => void process.stderr.write(line), { component: 'slack-bot' });
const rt = openRuntime({ redisUrl, keyPrefix: prefix }, log);
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
redis.on('error', () => undefined);
const slack = await startSlack({
  engine: rt.engine,
  redis,
  keyPrefix: prefix,
  log,
  claimIdleMs: Number(env['CLAIM_IDLE_MS'] ?? 15_000),
  inbox: env['INBOX'] === 'memory' ? 'memory' : 'durable',
  config: { signingSecret: env['SECRET'] ?? '', install: { kind: 'single', botToken: 'xoxb-crash-test' }, transport: { kind: 'http', port: 0 }, apiUrl: env['API_URL'] ?? '' },
});
process.stdout.write(`PORT ${slack.port}\n`);
process.on('SIGTERM', () => {
  void slack.stop().then(async () => {
    await rt.close();
    await redis.quit();
    process.exit(0);
  });
});
