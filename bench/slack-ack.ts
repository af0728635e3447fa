/**
 * `slack.ack.p99` / `slack.ack.p50`: bursts of 200 concurrent signed `/offboard start`
 * commands to the real Bolt HTTP receiver on loopback, with the real RedisStore on a
 * throwaway redis-server. Measured from the moment the load generator starts a request to
 * the end of Slack's 200, the acknowledgement that must come before any work (Slack gives up
 * after 3 s). Every ack comes from the app's own listener after Bolt verified the signature.
 *
 * Three processes, as far apart as one machine allows: the app (as in production), the fake
 * Slack Web API (standing in for Slack, which is remote), and the load generator (standing
 * in for Slack's senders). The generator is plain node:http over keep-alive connections with
 * the requests signed before the clock starts (Slack signs before it sends). Measured with
 * `fetch` and the fake API in the generator's own event loop, the generator itself made up
 * most of the figure: against a bare node:http server that answers at once, that generator
 * alone showed a p99 of 80-230 ms for 200 requests, node:http with keep-alive 35-55 ms.
 *
 * The work is not skipped: each burst's 200 turns (a new case each, saved in Redis, answered
 * through the Web API, App Home refreshed) must complete before the next burst, and the
 * result says how many did (`slack.ack.turns_completed` of `slack.ack.turns`) and how long
 * after the burst started the last one was answered (`slack.ack.drain`).
 *
 * `slack.ack.cold.p99`: one more burst with a new TCP connection per request, for comparison.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
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
import { commandBody, slackSignature } from '../test/helpers/slack-sign.js';
import { percentiles } from './stats.js';

const CONCURRENT = 200;
const BURSTS = 3;
const SECRET = 'bench-signing-secret';
const TURNS_TIMEOUT_MS = 60_000;
const HERE = fileURLToPath(import.meta.url);
const TSX_LOADER = pathToFileURL(join(resolve(dirname(HERE), '..'), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** The app's process: Slack adapter on a free port, printed as `PORT <n>`; ends on SIGTERM. */
async function serveApp(): Promise<void> {
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

/** What the generator asks the fake Web API's process, and what it answers. */
interface AnswersQuery {
  id: number;
  userPrefix: string;
}
interface AnswersReply {
  id: number;
  /** User → when (Date.now()) the last chat.postMessage to their DM arrived. */
  answered: Record<string, number>;
  /** User → when their App Home was last published (the last step of a turn). */
  published: Record<string, number>;
}

/** The fake Slack Web API's process: prints `URL <api url>`, answers queries over IPC. */
async function serveFakeApi(): Promise<void> {
  const api = await new FakeSlackApi().start();
  process.on('message', (q: AnswersQuery) => {
    const answered: Record<string, number> = {};
    const published: Record<string, number> = {};
    for (const c of api.callsOf('chat.postMessage')) {
      const user = String(c.args['channel']).slice(1);
      if (user.startsWith(q.userPrefix)) answered[user] = c.at;
    }
    for (const c of api.callsOf('views.publish')) {
      const user = String(c.args['user_id']);
      if (user.startsWith(q.userPrefix)) published[user] = c.at;
    }
    process.send?.({ id: q.id, answered, published } satisfies AnswersReply);
  });
  process.once('disconnect', () => void api.stop().finally(() => process.exit(0)));
  process.stdout.write(`URL ${api.apiUrl}\n`);
}

function spawnChild(flag: string, env: Record<string, string>, ipc: boolean): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolveLine, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, HERE, flag], {
      env: { ...process.env, ...env },
      stdio: ipc ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolveLine({ child, line: out.slice(0, nl) });
    });
    child.once('exit', (code) => reject(new Error(`${flag} exited early (${code})`)));
  });
}

interface Signed {
  body: string;
  headers: http.OutgoingHttpHeaders;
}

/** Slack's side of a request, prepared before the clock starts: body, timestamp, signature. */
function signedCommand(user: string, apiUrl: string): Signed {
  const body = commandBody({ team_id: 'T1', user_id: user, channel_id: `D${user}`, channel_name: 'directmessage', command: '/offboard', text: 'start Acme', trigger_id: `t-${user}`, response_url: apiUrl.replace(/\/api\/$/, `/respond/${user}`) });
  const ts = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(SECRET, ts, body),
    },
  };
}

/** One request; resolves with the milliseconds until the app's whole answer was read. */
function post(url: URL, agent: http.Agent, s: Signed): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: s.headers }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? done(performance.now() - t0) : fail(new Error(`slash command answered ${res.statusCode}`))));
    });
    req.once('error', fail);
    req.end(s.body);
  });
}

export async function benchSlackAck(): Promise<Record<string, number>> {
  const server = await startRedis({ allowExternal: false });
  const prefix = randomPrefix();
  const fake = await spawnChild('--fake-api', {}, true).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const apiUrl = fake.line.replace(/^URL /, '');
  const app = await spawnChild('--serve', { BENCH_REDIS_URL: server.url, BENCH_PREFIX: prefix, BENCH_API_URL: apiUrl }, false).catch(async (err: unknown) => {
    fake.child.disconnect();
    await server.stop();
    throw err;
  });
  const url = new URL(`http://127.0.0.1:${app.line.replace(/^PORT /, '')}/slack/events`);
  const redis = new Redis(server.url);
  const store = new RedisStore(redis, prefix);
  // One connection per concurrent request, kept open between bursts, as a sender would.
  const warm = new http.Agent({ keepAlive: true, maxSockets: CONCURRENT });
  const cold = new http.Agent({ keepAlive: false, maxSockets: CONCURRENT });

  let queries = 0;
  const answers = (userPrefix: string): Promise<AnswersReply> =>
    new Promise((done) => {
      const id = ++queries;
      const onReply = (r: AnswersReply): void => {
        if (r.id !== id) return;
        fake.child.off('message', onReply);
        done(r);
      };
      fake.child.on('message', onReply);
      fake.child.send({ id, userPrefix } satisfies AnswersQuery);
    });

  /** One burst of fresh users; waits for its turns; says how fast the acks and the work were. */
  const burst = async (name: string, agent: http.Agent) => {
    const users = Array.from({ length: CONCURRENT }, (_, i) => `U${name}x${i}`);
    const signed = users.map((u) => signedCommand(u, apiUrl));
    const startedAt = Date.now();
    const samples = await Promise.all(signed.map((s) => post(url, agent, s)));
    // The work: every user's case saved, their answer posted and their App Home refreshed.
    const deadline = Date.now() + TURNS_TIMEOUT_MS;
    let seen: AnswersReply;
    for (;;) {
      seen = await answers(`U${name}x`);
      if (Object.keys(seen.published).length >= CONCURRENT || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const saved = await Promise.all(users.map(async (id) => ((await store.loadUser({ platform: 'slack', tenant: 'T1', id }))?.openCases.length ?? 0) === 1));
    const completed = users.filter((u, i) => saved[i] && seen.answered[u] !== undefined && seen.published[u] !== undefined).length;
    const drain = Math.max(0, ...Object.values(seen.published)) - startedAt;
    return { samples, completed, drain };
  };

  try {
    // Warm-up: opens the connections, lets the JIT and the caches settle.
    await burst('W', warm);
    const samples: number[] = [];
    const burstP99: number[] = [];
    let completed = 0;
    let drain = 0;
    for (let b = 0; b < BURSTS; b++) {
      const r = await burst(`B${b}`, warm);
      samples.push(...r.samples);
      burstP99.push(percentiles(r.samples, [99])[0] ?? NaN);
      completed += r.completed;
      drain = Math.max(drain, r.drain);
    }
    const c = await burst('C', cold);
    const [p50, p99] = percentiles(samples, [50, 99]);
    return {
      'slack.ack.p50': p50 ?? NaN,
      'slack.ack.p99': p99 ?? NaN,
      'slack.ack.worst_burst_p99': Math.max(...burstP99),
      'slack.ack.cold.p99': percentiles(c.samples, [99])[0] ?? NaN,
      'slack.ack.turns': BURSTS * CONCURRENT,
      'slack.ack.turns_completed': completed,
      'slack.ack.drain': drain,
    };
  } finally {
    warm.destroy();
    cold.destroy();
    const gone = new Promise((r) => app.child.once('exit', r));
    app.child.kill('SIGTERM');
    await gone;
    const fakeGone = new Promise((r) => fake.child.once('exit', r));
    fake.child.disconnect();
    await fakeGone;
    await redis.quit();
    await server.stop();
  }
}

/** What else shares the machine: the figure means little without it. */
function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`;
}

if (process.argv.includes('--serve')) {
  serveApp().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (process.argv.includes('--fake-api')) {
  serveFakeApi().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (process.argv[1] === HERE) {
  // Alone: npx tsx bench/slack-ack.ts
  process.stderr.write(`[slack-ack] before: ${machine()}\n`);
  benchSlackAck().then(
    (r) => {
      process.stderr.write(`[slack-ack] after: ${machine()}\n`);
      console.log(JSON.stringify(r));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
