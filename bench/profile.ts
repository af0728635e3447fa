/**
 * Where the time goes: `npx tsx bench/profile.ts [step|turn]`.
 *  step — decide() on the mid-flow case, in memory (no Redis);
 *  turn — Engine.handle() against an in-memory store (engine CPU only, no network),
 *         plus a split of one real RedisStore turn into load / decide / commit.
 * Prints the top functions by self and by inclusive time from a V8 CPU profile.
 */
import { Session } from 'node:inspector/promises';
import { Redis } from 'ioredis';
import { decide } from '../src/engine/decide.js';
import { recordOnly } from '../src/engine/effects.js';
import { Engine } from '../src/engine/engine.js';
import { parseTyped } from '../src/engine/parse-command.js';
import type { Inbound } from '../src/model/inbound.js';
import { casesNeeded, decideUser } from '../src/engine/user-turn.js';
import { RedisStore } from '../src/store/redis-store.js';
import { MemoryStore } from './memory-store.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { nsToMs, percentiles } from './stats.js';
import { Walker } from './walk.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

const DONE = parseTyped('done 3');
const UNDO = parseTyped('undo 3');
const alt = (i: number): Inbound => (i & 1 ? UNDO : DONE);
const ROOT = new URL('..', import.meta.url).href;

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const url = f.url.startsWith(ROOT) ? f.url.slice(ROOT.length) : f.url.replace(/^.*node_modules\//, 'nm/');
  return `${f.functionName || '(anonymous)'} ${url ? `${url}:${f.lineNumber + 1}` : ''}`.trim();
}

function summarize(p: Profile, top = 25): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    self.set(label(n), (self.get(label(n)) ?? 0) + hits);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const l = label(byId.get(id)!);
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + hits);
    }
  }
  const show = (title: string, m: Map<string, number>): void => {
    process.stdout.write(`\n${title} (of ${total} samples)\n`);
    for (const [l, h] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((100 * h) / total).toFixed(1).padStart(6)}%  ${l}\n`);
    }
  };
  show('self time', self);
  show('inclusive time', incl);
}

async function profiled(run: () => Promise<void> | void): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await run();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  summarize(profile as unknown as Profile);
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'step';
  const mem = new MemoryStore();
  const w = new Walker(mem, { platform: 'slack', tenant: 'T1', id: 'UPROF' });
  const mid = await w.toTasks();
  const user = await w.user();
  const ctx = { settings: user.settings, history: user.history };

  if (mode === 'step') {
    let c = mid;
    for (let i = 0; i < 5000; i++) c = decide(c, alt(i), w.now, ctx).case;
    const n = 20_000;
    const t0 = process.hrtime.bigint();
    await profiled(() => {
      for (let i = 0; i < n; i++) c = decide(c, alt(i), w.now, ctx).case;
    });
    process.stdout.write(`\ndecide(): ${((nsToMs(process.hrtime.bigint() - t0) / n) * 1000).toFixed(1)} µs/call (profiled)\n`);
    return;
  }

  // turn: engine shell in memory
  const engine = new Engine({ store: mem, effects: recordOnly, clock: () => w.now });
  for (let i = 0; i < 3000; i++) await engine.handle({ user: w.ref, inbound: alt(i) });
  const n = 10_000;
  const t0 = process.hrtime.bigint();
  await profiled(async () => {
    for (let i = 0; i < n; i++) await engine.handle({ user: w.ref, inbound: alt(i) });
  });
  process.stdout.write(`\nEngine.handle() on MemoryStore: ${((nsToMs(process.hrtime.bigint() - t0) / n) * 1000).toFixed(1)} µs/turn (profiled)\n`);

  // Split of a real turn against Redis, the same calls Engine.handle makes.
  const redis = await startRedis({ allowExternal: false });
  const conn = new Redis(redis.url);
  try {
    const store = new RedisStore(conn, 'offboard-profile');
    const rw = new Walker(store, w.ref);
    await rw.toTasks();
    const parts = { loadUser: [] as number[], loadCases: [] as number[], decideUser: [] as number[], commit: [] as number[], total: [] as number[] };
    for (let i = 0; i < 6000; i++) {
      const a = process.hrtime.bigint();
      const stored = (await store.loadUser(rw.ref))!;
      const b = process.hrtime.bigint();
      const cases = await store.loadCases(rw.ref, casesNeeded(stored, alt(i)));
      const c = process.hrtime.bigint();
      const d = decideUser({ user: stored, cases, inbound: alt(i), now: rw.now, newCaseId: 'x' });
      const e = process.hrtime.bigint();
      // As Engine.handle: an unchanged user record keeps its version (checked, not rewritten).
      const userChanged = JSON.stringify(d.user) !== JSON.stringify(stored);
      const ok = await store.commit({
        user: { ...d.user, version: stored.version + (userChanged ? 1 : 0) },
        expectedUserVersion: stored.version,
        cases: d.cases.map((k) => ({ case: { ...k, version: cases[0]!.version + 1 }, expectedVersion: cases[0]!.version })),
      });
      const f = process.hrtime.bigint();
      if (!ok) throw new Error('commit lost');
      if (i < 1000) continue;
      parts.loadUser.push(nsToMs(b - a));
      parts.loadCases.push(nsToMs(c - b));
      parts.decideUser.push(nsToMs(e - c));
      parts.commit.push(nsToMs(f - e));
      parts.total.push(nsToMs(f - a));
    }
    process.stdout.write('\nsequential turn against RedisStore, split (ms):\n');
    for (const [k, v] of Object.entries(parts)) {
      const [p50, p99] = percentiles(v, [50, 99]);
      process.stdout.write(`  ${k.padEnd(11)} p50 ${p50!.toFixed(3)}  p99 ${p99!.toFixed(3)}\n`);
    }
  } finally {
    conn.disconnect();
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
