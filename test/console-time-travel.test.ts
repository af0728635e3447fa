/**
 * `wait` in the real console (adapters/main.ts, piped stdin) with its inline worker, on a
 * throwaway redis-server: the real clock moved forward, a reminder delivered once on the way,
 * and the cases where moving the clock would be unsafe refused in a sentence.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllConsoles, openConsole } from './helpers/console-process.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterEach(() => killAllConsoles());
afterAll(async () => {
  await server.stop();
});

const env = (extra: Record<string, string>) => ({ REDIS_URL: server.url, OFFBOARD_PREFIX: randomPrefix(), OFFBOARD_USER: 'ana', TZ: 'Europe/Berlin', ...extra });
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('time travel in the console', () => {
  it('on the real clock: `wait` brings the cooling-off check-in, once, and says the new time', async () => {
    const c = openConsole(env({ OFFBOARD_TIME_TRAVEL: '1', OFFBOARD_WORKER: 'inline' }));
    for (const line of ['start Acme', '1,8', 'skip', 'skip', 'Yes, and nothing changed', '1 day']) c.type(line);
    await c.waitFor(/I'll check in with you on/);
    c.type('wait');
    await c.waitFor(/The clock now reads/, 60_000);
    const out = c.output();
    expect(count(out, /The cooling-off period is over/)).toBe(1);
    // The check-in comes before the new time, like a message arriving before you look up.
    expect(out.indexOf('The cooling-off period is over')).toBeLessThan(out.indexOf('The clock now reads'));
    // The answer to the check-in goes to the case, and nothing arrives twice meanwhile.
    c.type('Yes, continue');
    await c.waitFor(/Next, the contract/);
    c.type('wait');
    await c.waitFor(/No reminder is planned, so the clock stays at/);
    expect(count(c.output(), /The cooling-off period is over/)).toBe(1);
    expect((await (c.end(), c.exited)).code).toBe(0);
  });

  it('on a Redis the console did not start, without OFFBOARD_TIME_TRAVEL=1, `wait` says why it stays put', async () => {
    const c = openConsole(env({ OFFBOARD_WORKER: 'inline', OFFBOARD_LANG: 'de' }));
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', '1']) c.type(line);
    await c.waitFor(/Ich melde mich/);
    c.type('wait');
    await c.waitFor(/Die Zeitreise ist hier aus: Diese Konsole teilt sich das Redis unter redis:\/\/127\.0\.0\.1/);
    expect(c.output()).not.toMatch(/Abkühl\w* ist vorbei|Die Uhr zeigt jetzt/);
    expect((await (c.end(), c.exited)).code).toBe(0);
  });

  it('without the inline worker, `wait` says it needs one', async () => {
    const c = openConsole(env({ OFFBOARD_WORKER: 'off', OFFBOARD_TIME_TRAVEL: '1' }));
    c.type('wait 3 days');
    await c.waitFor(/Time travel needs the console's own reminder worker/);
    expect((await (c.end(), c.exited)).code).toBe(0);
  });
});
