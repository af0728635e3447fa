/**
 * /readyz asks the Discord adapter whether its gateway session is up: this checks that answer
 * against a real discord.js client losing and regaining the fake gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type DiscordWorld } from './helpers/fake-discord-setup.js';
import { until } from './helpers/fake-discord-user.js';

let world: DiscordWorld;

beforeAll(async () => {
  world = await startWorld(new Date('2026-11-23T09:00:00Z'));
});

afterAll(async () => {
  await world?.stop();
});


describe('Discord readiness', () => {
  it('is connected after login, not while the gateway is unreachable, and again once it is back', async () => {
    expect(world.bot.connected()).toBe(true);
    world.fake.gateway.drop({ refuse: true });
    await until(() => !world.bot.connected(), 'the bot to notice the lost gateway');
    // Still unreachable a moment later: the bot keeps saying so while it retries.
    await new Promise((r) => setTimeout(r, 300));
    expect(world.bot.connected()).toBe(false);
    world.fake.gateway.allow();
    await until(() => world.bot.connected(), 'the bot to reconnect');
  });

  it('is not connected once stopped', async () => {
    await world.bot.stop();
    expect(world.bot.connected()).toBe(false);
    await world.restart();
    expect(world.bot.connected()).toBe(true);
  });
});
