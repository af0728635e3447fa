/**
 * `slack.ack.p99` / `slack.ack.p50`: 200 concurrent signed `/offboard start` commands to the
 * real Bolt HTTP receiver on loopback, with the real RedisStore on a throwaway redis-server.
 * Measured from sending a request to Slack's 200, the acknowledgement that must come before
 * any work (Slack gives up after 3 s). The app runs in its own process, as in production;
 * the load and the fake Slack Web API (standing in for Slack, which is remote) run here.
 * The turns are let finish before the app is stopped, so their work overlaps the burst.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { recordOnly } from '../src/engine/effects.js';
import { Engine } from '../src/engine/engine.js';
import { silentLog } from '../src/log.js';
import { RedisStore } from '../src/store/redis-store.js';
import { startSlack } from '../adapters/slack/index.js';
import { FakeSlackApi } from '../test/helpers/fake-slack-api.js';
import { randomPrefix, startRedis } from '../test/helpers/redis-server.js';
import { commandBody, postSigned } from '../test/helpers/slack-sign.js';
import { percentiles } from './stats.js';

const CONCURRENT = 200;
const WARMUP = 50;
const SECRET = 'bench-signing-secret';
const HERE = fileURLToPath(import.meta.url);
const TSX_LOADER = pathToFileURL(join(resolve(dirname(HERE), '..'), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** The app's process: Slack adapter on a free port, printed as `PORT <n>`; ends on SIGTERM. */
async function serve(): Promise<void> {
  const redis = new Redis(process.env['BENCH_REDIS_URL'] ?? '');
  const prefix = process.env['BENCH_PREFIX'] ?? randomPrefix();
  const engine = new Engine({ store: new RedisStore(redis, prefix), effects: recordOnly });
  const slack = await startSlack({
    engine,
    redis,
    keyPrefix: prefix,
    log: silentLog,
    config: { signingSecret: SECRET, install: { kind: 'single', botToken: 'xoxb-bench' }, transport: { kind: 'http', port: 0 }, apiUrl: process.env['BENCH_API_URL'] ?? '' },
  });
  process.stdout.write(`PORT ${slack.port}\n`);
  process.once('SIGTERM', () => {
    void slack.stop().finally(() => redis.quit().finally(() => process.exit(0)));
  });
}

function startApp(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolvePort, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, HERE, '--serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolvePort({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`the Slack app exited early (${code})`)));
  });
}

export async function benchSlackAck(): Promise<Record<string, number>> {
  const server = await startRedis({ allowExternal: false });
  const api = await new FakeSlackApi().start();
  const { child, port } = await startApp({ BENCH_REDIS_URL: server.url, BENCH_PREFIX: randomPrefix(), BENCH_API_URL: api.apiUrl });
  const url = `http://127.0.0.1:${port}/slack/events`;
  const command = async (i: number): Promise<number> => {
    const body = commandBody({ team_id: 'T1', user_id: `UB${i}`, channel_id: `DUB${i}`, channel_name: 'directmessage', command: '/offboard', text: 'start Acme', trigger_id: `b${i}`, response_url: api.responseUrl(`b${i}`) });
    const t0 = performance.now();
    const res = await postSigned(url, { secret: SECRET, body, contentType: 'application/x-www-form-urlencoded' });
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
    return ms;
  };
  const settle = (n: number) => api.waitFor(() => api.callsOf('chat.postMessage').length >= n, 'the turns to finish', 60_000);
  try {
    await Promise.all(Array.from({ length: WARMUP }, (_, i) => command(100_000 + i)));
    await settle(WARMUP);
    const samples = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => command(i)));
    await settle(WARMUP + CONCURRENT);
    const [p50, p99] = percentiles(samples, [50, 99]);
    return { 'slack.ack.p50': p50 ?? NaN, 'slack.ack.p99': p99 ?? NaN };
  } finally {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
    await api.stop();
    await server.stop();
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (process.argv[1] === HERE) {
  // Alone: npx tsx bench/slack-ack.ts
  benchSlackAck().then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
