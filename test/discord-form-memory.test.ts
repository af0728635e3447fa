/**
 * Discord's form memory against a real Redis: a form and the answers of the parts already
 * submitted outlive the process that showed it (a second connection and object stand in for
 * the restarted bot), expire with a TTL, and sit under the user's hash tag for `forget`.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_TTL_SECONDS, RedisFormMemory } from '../adapters/discord/form-memory.js';
import type { Reply } from '../src/model/reply.js';
import { keys } from '../src/store/keys.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

type FormReply = Extract<Reply, { kind: 'form' }>;

const OWNER = '200000000000000031';
const fields = Array.from({ length: 7 }, (_, i) => ({ id: `f${i}`, label: `Field ${i}`, input: 'text' as const }));
const form: FormReply = { kind: 'form', ref: { caseId: 'c1', question: 'big' }, title: 'Seven fields', fields, submitLabel: 'Save' };

let server: TestRedis;
let first: Redis;
let second: Redis;
const prefix = randomPrefix();

beforeAll(async () => {
  server = await startRedis();
  first = new Redis(server.url);
  second = new Redis(server.url);
});
afterAll(async () => {
  first?.disconnect();
  second?.disconnect();
  await server?.stop();
});

describe('a form in Redis', () => {
  it('keeps the first part\'s answers for the process that gets the second part', async () => {
    const before = new RedisFormMemory(first, prefix);
    await before.remember(OWNER, [{ kind: 'text', text: 'hello' }, form]);
    expect(await before.addValues(OWNER, 'c1', 'big', { f0: 'a', f1: 'b', f2: 'c', f3: 'd', f4: 'e' })).toMatchObject({ f0: 'a', f4: 'e' });

    const after = new RedisFormMemory(second, prefix);
    const entry = await after.get(OWNER, 'c1', 'big');
    expect(entry?.form).toEqual(form);
    expect(entry?.values).toEqual({ f0: 'a', f1: 'b', f2: 'c', f3: 'd', f4: 'e' });
    expect(await after.addValues(OWNER, 'c1', 'big', { f5: 'f', f6: 'g' })).toEqual({ f0: 'a', f1: 'b', f2: 'c', f3: 'd', f4: 'e', f5: 'f', f6: 'g' });

    await after.clearValues(OWNER, 'c1', 'big');
    expect(await before.get(OWNER, 'c1', 'big')).toEqual({ form, values: {} });
  });

  it('lives two weeks, under the user\'s hash tag (so forget takes it)', async () => {
    const memory = new RedisFormMemory(first, prefix);
    await memory.remember(OWNER, [form]);
    const tag = keys(prefix).tag({ platform: 'discord', tenant: '', id: OWNER });
    const [key, ...more] = await first.keys(`${prefix}:*`);
    expect(more).toEqual([]);
    expect(key?.startsWith(`${prefix}:${tag}:`)).toBe(true);
    const ttl = await first.ttl(key as string);
    expect(ttl).toBeGreaterThan(FORM_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(FORM_TTL_SECONDS);
  });

  it('a form shown again starts with no answers; one that expired leaves no stray key behind', async () => {
    const memory = new RedisFormMemory(first, prefix);
    await memory.addValues(OWNER, 'c1', 'big', { f0: 'old' });
    await memory.remember(OWNER, [form]);
    expect((await memory.get(OWNER, 'c1', 'big'))?.values).toEqual({});

    const gone = { ...form, ref: { question: 'gone' } };
    expect(await memory.addValues(OWNER, undefined, gone.ref.question, { f0: 'x' })).toEqual({ f0: 'x' });
    expect(await memory.get(OWNER, undefined, 'gone')).toBeNull();
    expect(await first.keys(`${prefix}:*:discordform:-:gone`)).toEqual([]);
  });
});
