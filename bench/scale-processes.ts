/**
 * The bot and a worker as production starts them (`npm run serve` with Slack over HTTP and
 * `npm run worker`, the same entry files), each in its own process on the seeded Redis, for
 * their resident memory once they are ready and it has stopped moving.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, httpGet } from '../test/helpers/net.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const READY_TIMEOUT_MS = 300_000;
const SAMPLE_MS = 1_000;
/**
 * V8 hands back the heap a busy start-up grew (the worker's reconciliation of every case) only
 * once its memory reducer runs, about half a minute after the process goes quiet: a worker on
 * 100,000 users sat at 372 MiB for 33 s after ready, then dropped to 162 MiB within 3 s and
 * stayed there. So the settled figure is read no sooner than this after ready…
 */
const SETTLE_MIN_MS = 60_000;
/** …and once this many readings in a row are within SETTLE_SPREAD of each other. */
const SETTLE_READINGS = 10;
const SETTLE_SPREAD = 0.02;
const SETTLE_TIMEOUT_MS = 180_000;

export interface Settled {
  rssBytes: number;
  /**
   * The most it held from start until settled (the start-up's peak, before V8 gave it back):
   * the kernel's high-water mark (VmHWM), so a peak between two readings counts too.
   */
  peakRssBytes: number;
  /** The highest of the readings alone (every 100 ms until ready, then every second). */
  peakSampledBytes: number;
  /** From spawn until /readyz answered 200 (the worker's start-up reconciliation is in it). */
  readyMs: number;
}

async function statusOf(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
  if (!kb) throw new Error(`no ${field} for ${pid}`);
  return Number(kb) * 1024;
}

const rssOf = (pid: number): Promise<number> => statusOf(pid, 'VmRSS');

/** Only what the process needs: nothing of the caller's own platforms or Redis leaks in. */
function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TZ', 'LANG', 'NODE_OPTIONS'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** `untilReady`: stop once ready (rssBytes is then the reading at ready), for the start-up alone. */
async function measure(entry: string, args: string[], env: Record<string, string>, port: number, untilReady = false): Promise<Settled> {
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => void (stderr = (stderr + s).slice(-4_000)));
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  let peak = 0;
  try {
    const deadline = started + READY_TIMEOUT_MS;
    for (;;) {
      if (exited !== null) throw new Error(`${entry} exited (${exited}) before it was ready: ${stderr}`);
      if (child.pid) peak = Math.max(peak, await rssOf(child.pid).catch(() => 0));
      if ((await httpGet(port, '/readyz')).status === 200) break;
      if (Date.now() > deadline) throw new Error(`${entry} not ready after ${READY_TIMEOUT_MS} ms: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ready = Date.now();
    const pid = child.pid ?? 0;
    const readings: number[] = [];
    for (;;) {
      readings.push(await rssOf(pid));
      const last = readings.slice(-SETTLE_READINGS);
      const steady = last.length === SETTLE_READINGS && (Math.max(...last) - Math.min(...last)) / Math.max(...last) <= SETTLE_SPREAD;
      const since = Date.now() - ready;
      if (untilReady || (steady && since >= SETTLE_MIN_MS) || since > SETTLE_TIMEOUT_MS) {
        const sampled = Math.max(peak, ...readings);
        return { rssBytes: readings.at(-1)!, peakRssBytes: Math.max(sampled, await statusOf(pid, 'VmHWM')), peakSampledBytes: sampled, readyMs: ready - started };
      }
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  } finally {
    if (exited === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
  }
}

/** `npm run serve` with Slack over HTTP (Bolt, the durable inbox), reminders left to workers. */
export async function botRss(redisUrl: string, prefix: string, slackApiUrl: string): Promise<Settled> {
  const port = await freePort();
  return measure('adapters/main.ts', ['--serve'], {
    REDIS_URL: redisUrl,
    OFFBOARD_PREFIX: prefix,
    OFFBOARD_WORKER: 'off',
    SLACK_BOT_TOKEN: 'xoxb-scale',
    SLACK_SIGNING_SECRET: 'scale-signing-secret',
    SLACK_API_URL: slackApiUrl,
    PORT: String(port),
  }, port);
}

/** `npm run worker`: it reconciles the queue with every case before it reports ready. */
export async function workerRss(redisUrl: string, prefix: string, untilReady = false): Promise<Settled> {
  const port = await freePort();
  return measure('jobs/main.ts', [], { REDIS_URL: redisUrl, OFFBOARD_PREFIX: prefix, WORKER_PORT: String(port) }, port, untilReady);
}
