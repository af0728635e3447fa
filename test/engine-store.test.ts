import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { recordOnly, type EffectSink } from '../src/engine/effects.js';
import { parseTyped } from '../src/engine/parse-command.js';
import type { Effect } from '../src/model/effect.js';
import type { UserRef } from '../src/model/user.js';
import { RedisStore } from '../src/store/redis-store.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

const NOW = new Date('2026-11-23T09:30:00Z');
// Pushback answers what the client said in the talk (30 November): it counts only after it.
const AFTER_TALK = new Date('2026-12-01T09:30:00Z');
let clockNow = NOW;
const WALK_TO_TASKS = ['start Acme', '1,8', 'skip', 'skip', '1', 'skip', '2', 'yes', 'yes', '30', 'yes', '2', 'skip', '1', '2', '2026-11-30 14:00', '1', 'Website', '2'];

let server: TestRedis;
const connections: Redis[] = [];

function setup(prefix = randomPrefix()) {
  const redis = new Redis(server.url);
  connections.push(redis);
  const effects: Effect[] = [];
  const sink: EffectSink = { apply: async (_user, list) => void effects.push(...list) };
  const store = new RedisStore(redis, prefix);
  let n = 0;
  const engine = new Engine({ store, effects: sink, clock: () => clockNow, newId: () => `case${++n}` });
  return { redis, store, engine, effects, prefix };
}

async function say(engine: Engine, user: UserRef, line: string) {
  return engine.handle({ user, inbound: parseTyped(line), hints: { locale: 'en', timeZone: 'Europe/Berlin' } });
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
  await server.stop();
});

describe('engine on a real Redis', () => {
  it("a conversation's next turn reads nothing and commits once; what another process changed meanwhile is read fresh", async () => {
    const { engine, store, prefix } = setup();
    const user: UserRef = { platform: 'slack', tenant: 'T1', id: 'U_HINT' };
    for (const line of WALK_TO_TASKS) await say(engine, user, line);
    const calls = { turn: vi.spyOn(store, 'loadTurn'), user: vi.spyOn(store, 'loadUser'), cases: vi.spyOn(store, 'loadCases'), commit: vi.spyOn(store, 'commit') };
    const counts = () => [calls.turn, calls.user, calls.cases, calls.commit].map((c) => c.mock.calls.length);
    const clear = () => Object.values(calls).forEach((c) => c.mockClear());
    await say(engine, user, 'done 1');
    expect(counts()).toEqual([0, 0, 0, 1]);
    const first = (await store.loadUser(user))!.openCases[0]!;
    expect((await store.loadCase(user, first))?.tasks[0]?.done).toBe(true);

    // Another process ticks a task off: the next turn here must not undo it from what it kept.
    const redis = new Redis(server.url);
    connections.push(redis);
    const other = new Engine({ store: new RedisStore(redis, prefix), effects: recordOnly, clock: () => clockNow, newId: () => 'other1' });
    await say(other, user, 'done 2');
    clear();
    await say(engine, user, 'done 3');
    expect(counts()).toEqual([1, 0, 0, 2]); // the commit from what was kept fails, then read and commit
    expect((await store.loadCase(user, first))?.tasks.slice(0, 3).map((t) => t.done)).toEqual([true, true, true]);

    // A read-only answer (list) is checked too: what it was built on must be what is stored.
    await say(other, user, 'undo 2');
    clear();
    const told = JSON.stringify((await say(engine, user, 'list')).replies);
    expect(counts()).toEqual([1, 0, 0, 2]); // the check of the kept case fails: decided again on a read
    expect(told).toEqual(JSON.stringify((await say(setup(prefix).engine, user, 'list')).replies));
    expect((await store.loadCase(user, first))?.tasks[1]?.done).toBe(false);

    // The other process opens a second case, which takes the focus: it is read, not guessed.
    await say(other, user, 'start Globex');
    const before = { first: (await store.loadCase(user, first))!.version, second: (await store.loadCase(user, 'other1'))!.version };
    clear();
    await say(engine, user, '1,8');
    expect(calls.cases.mock.calls.map((c) => c[1])).toEqual([['other1']]);
    expect((await store.loadCase(user, 'other1'))?.version).toBe(before.second + 1);
    expect((await store.loadCase(user, first))?.version).toBe(before.first);
  });

  it("an inbox entry's turn starts from the kept records too, and its re-run replays the saved answer instead of deciding again", async () => {
    const { engine, store } = setup();
    const user: UserRef = { platform: 'slack', tenant: 'T1', id: 'U_INBOX' };
    for (const line of WALK_TO_TASKS) await say(engine, user, line);
    const calls = { turn: vi.spyOn(store, 'loadTurn'), commit: vi.spyOn(store, 'commit') };
    const entry = { user, inbound: parseTyped('done 1'), outbox: 'slack:event:Ev9', hints: { locale: 'en' as const, timeZone: 'Europe/Berlin' } };
    const first = await engine.handle(entry);
    expect([calls.turn.mock.calls.length, calls.commit.mock.calls.length]).toEqual([0, 1]);
    const caseId = (await store.loadUser(user))!.openCases[0]!;
    const version = (await store.loadCase(user, caseId))!.version;
    // The process took the entry again (it looked lost): same answer, nothing decided twice.
    const again = await engine.handle(entry);
    expect(again.replayed).toBe(true);
    expect(again.replies).toEqual(first.replies);
    expect((await store.loadCase(user, caseId))!.version).toBe(version);
    expect((await store.loadCase(user, caseId))!.tasks[0]!.done).toBe(true);
  });

  it('50 concurrent decisions on one case: every one applied once, versions consistent', async () => {
    const { engine, store, prefix } = setup();
    const user: UserRef = { platform: 'slack', tenant: 'T1', id: 'U1' };
    for (const line of WALK_TO_TASKS) await say(engine, user, line);
    const before = (await store.loadUser(user))?.openCases[0] ?? '';
    const caseBefore = await store.loadCase(user, before);
    // Separate connections make the races real rather than serialised on one socket.
    const engines = Array.from({ length: 5 }, () => setup(prefix).engine);
    clockNow = AFTER_TALK;
    await Promise.all(Array.from({ length: 50 }, (_, i) => say(engines[i % 5] as Engine, user, 'pushback Acme'))).finally(() => {
      clockNow = NOW;
    });
    const after = await store.loadCase(user, before);
    expect(after?.pushbacks).toBe(50);
    expect(after?.version).toBe((caseBefore?.version ?? 0) + 50);
  });

  it('a platform retry with the same event id has no second effect', async () => {
    const { engine, store } = setup();
    const user: UserRef = { platform: 'slack', tenant: 'T1', id: 'U2' };
    const first = await engine.handle({ user, inbound: parseTyped('start Acme'), eventId: 'Ev1' });
    const again = await engine.handle({ user, inbound: parseTyped('start Acme'), eventId: 'Ev1' });
    expect(first.replies.length).toBeGreaterThan(0);
    expect(again).toMatchObject({ duplicate: true, replies: [] });
    expect((await store.loadUser(user))?.openCases).toHaveLength(1);
  });

  it('state survives a new engine and connection; a case is only reachable by its owner', async () => {
    const a = setup();
    const owner: UserRef = { platform: 'discord', tenant: '', id: '42' };
    for (const line of WALK_TO_TASKS.slice(0, 8)) await say(a.engine, owner, line);
    const b = setup(a.prefix);
    const status = await say(b.engine, owner, 'status Acme');
    expect(JSON.stringify(status.replies)).toContain('Contract check');
    const caseId = (await b.store.loadUser(owner))?.openCases[0] ?? '';
    const intruder: UserRef = { platform: 'discord', tenant: '', id: '666' };
    const click = await b.engine.handle({ user: intruder, inbound: { kind: 'choice', caseId, question: 'clause', value: 'none' } });
    expect(JSON.stringify(click.replies)).toContain('someone else');
    expect((await b.store.loadCase(owner, caseId))?.step).toBe('clause');
  });

  it('forget deletes every key of the user and asks the scheduler to drop their jobs', async () => {
    const { engine, redis, prefix, effects } = setup();
    const user: UserRef = { platform: 'console', tenant: '', id: 'gone' };
    const other: UserRef = { platform: 'console', tenant: '', id: 'stays' };
    for (const line of WALK_TO_TASKS) await say(engine, user, line);
    await say(engine, other, 'start Beta');
    await say(engine, user, 'forget');
    await say(engine, user, 'yes');
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.some((k) => k.includes('gone'))).toBe(false);
    expect(keys.some((k) => k.includes('stays'))).toBe(true);
    expect(effects.at(-1)).toEqual({ kind: 'forgetUser' });
  });
});
