/**
 * The Discord bot tried the way community members use it, off the happy path: answers typed
 * while the buttons are still there, quick double clicks, odd dates in modals, long lists, odd
 * autocomplete input. Real discord.js client, fake Discord, real engine, throwaway Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/i18n/translate.js';
import type { StoredMessage } from './helpers/fake-discord.js';
import { startWorld, type DiscordWorld } from './helpers/fake-discord-setup.js';
import { allText, DiscordPerson, leaves, until } from './helpers/fake-discord-user.js';

const NOW = new Date('2026-11-23T09:30:00Z'); // a Monday, 10:30 in Berlin
const en = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t('en', key, params);

let world: DiscordWorld;
beforeAll(async () => {
  world = await startWorld(NOW, { heartbeatIntervalMs: 1500 });
});
afterAll(async () => world?.stop());

let next = 0;
function person(): DiscordPerson {
  next++;
  return new DiscordPerson(world.fake, world.bot, { id: `20000000000000${String(500 + next).padStart(4, '0')}`, username: `qa${next}` });
}

const userRef = (p: DiscordPerson) => ({ platform: 'discord' as const, tenant: '', id: p.user.id });

async function openCase(p: DiscordPerson) {
  const state = await world.store.loadUser(userRef(p));
  return world.store.loadCase(userRef(p), state?.openCases[0] ?? '');
}

/** Dispatches several interactions at once and waits until the bot has handled them all. */
async function together(p: DiscordPerson, actions: (() => void)[]): Promise<StoredMessage[]> {
  const before = new Set(p.dm.map((m) => m.id));
  const handled = world.bot.handledEvents;
  for (const act of actions) act();
  await until(() => world.bot.handledEvents >= handled + actions.length, 'the bot to handle every click');
  await world.bot.idle();
  return p.dm.filter((m) => !before.has(m.id));
}

/** What Discord would refuse with 400 "Invalid Form Body". */
function expectWithinLimits(messages: readonly StoredMessage[]): void {
  for (const m of messages) {
    expect(m.content.length).toBeLessThanOrEqual(2000);
    expect(m.components.length).toBeLessThanOrEqual(5);
    for (const row of m.components) expect(((row['components'] ?? []) as unknown[]).length).toBeLessThanOrEqual(5);
    for (const leaf of leaves(m)) {
      expect((leaf.custom_id ?? '').length).toBeLessThanOrEqual(100);
      expect((leaf.label ?? '').length).toBeLessThanOrEqual(80);
      expect((leaf.options ?? []).length).toBeLessThanOrEqual(25);
      for (const o of leaf.options ?? []) expect(o.label.length).toBeLessThanOrEqual(100);
    }
  }
}

describe('buttons that come too late', () => {
  it('a button left behind by a typed answer: clicking it later changes nothing and does not claim it was picked', async () => {
    const p = person();
    for (const line of ['start Acme', 'Berlin', '1,8', 'skip', 'skip', '1']) await p.say(line);
    const question = p.dm.at(-1) as StoredMessage;
    expect(question.content).toContain(en('cooling.ask'));
    await p.say('2'); // 3 days, typed: the buttons above stay
    const until3 = (await openCase(p))?.coolingOffUntil;
    expect(until3).toBeTruthy();

    const seven = en('cooling.days', { count: 7 });
    const out = await p.click(seven);
    expect(allText(out)).toContain(en('common.stale'));
    expect((await openCase(p))?.coolingOffUntil).toBe(until3);
    const old = world.fake.messages.get(question.id);
    expect(old?.components).toEqual([]); // the stale buttons are gone…
    expect(old?.content).not.toContain(`› ${seven}`); // …but 7 days was never taken
  });

  it('two quick clicks are taken in the order they were made, even when Discord confirms them out of order', async () => {
    const p = person();
    await p.say('start Globex');
    await p.submit(await p.open(en('discord.answer')), { v: 'Berlin' });
    const signs = p.find((l) => l.type === 3);
    const nextButton = p.find((l) => l.type === 2 && l.label === en('common.next'));
    expect(nextButton.message.id).toBe(signs.message.id);

    // Picks "Pays late" in the dropdown (sent as soon as it closes), then clicks Next at once.
    // Discord is slow to confirm the first one.
    const fake = world.fake;
    const out = await together(p, [
      () => {
        const id = fake.select(p.user, p.place, signs.message, signs.leaf.custom_id ?? '', ['paysLate']);
        fake.delayNext({ method: 'POST', path: new RegExp(`^/interactions/${id}/`), ms: 300 });
      },
      () => fake.click(p.user, p.place, nextButton.message, nextButton.leaf.custom_id ?? ''),
    ]);
    expect((await openCase(p))?.reasons).toEqual(['paysLate']);
    expect(allText(out)).not.toContain(en('assess.noSign', { client: 'Globex' }));
    expect(allText(out)).toContain(en('assess.note.ask'));
    // The question still shows what was picked; the late Next did not wipe it.
    expect(fake.messages.get(signs.message.id)?.content).toContain(`› ${en('sign.paysLate')}`);
  });
});

describe('dates in a modal', () => {
  it('an impossible date and a past date are explained and the question is asked again', async () => {
    const p = person();
    for (const line of ['start Initech', 'Berlin', '1,8', 'skip', 'skip', '1']) await p.say(line);
    await p.click(en('cooling.custom'));
    const impossible = await p.submit(await p.open(en('discord.answer')), { v: '2026-02-30' });
    expect(allText(impossible)).toContain(en('date.impossible', { input: '2026-02-30' }));
    expect(impossible.flatMap(leaves).map((l) => l.label)).toContain(en('discord.answer'));
    const past = await p.submit(await p.open(en('discord.answer')), { v: '2026-11-01' });
    expect(allText(past)).toMatch(/already in the past/);
    expect((await openCase(p))?.coolingOffUntil).toBeFalsy();
    const ok = await p.submit(await p.open(en('discord.answer')), { v: '5' });
    expect(allText(ok)).toMatch(/Mon, Nov 30, 2026/);
  });
});

describe('long replies', () => {
  it('a 40-task handover plan stays within Discord limits and every task can still be ticked', async () => {
    const p = person();
    for (const line of ['start Umbrella', 'Berlin', '1,8', 'skip', 'skip', '1', '2', '?', '1', '1', '2', '1']) await p.say(line);
    await p.click(en('contract.invoices.none'));
    await p.say('skip');
    await p.click(en('channel.video'));
    await p.click(en('reason.notFit'));
    await p.say('2026-11-30 14:00');
    await p.click(en('notice.twoWeeks'));
    await p.say('Website redesign');
    await p.click(en('referral.agency'));
    for (let i = 0; i < 35; i++) await p.say(`add Task number ${i} with a rather long descriptive title to fill the space | 2026-12-0${(i % 9) + 1}`);
    const ticked = await p.pick([/^40\. Task number 30 /]);
    expect(allText(ticked)).toContain('✅ Task number 30 ');
    expectWithinLimits(p.dm);
  });
});

describe('time zone autocomplete', () => {
  it('odd input gets at most 25 valid suggestions, never an error', async () => {
    const p = person();
    const fake = world.fake;
    const suggest = async (typed: string) => {
      await p.step(() => fake.autocomplete(p.user, p.place, 'settings', 'zone', typed));
      const choices = fake.autocompleteResults.at(-1) as { name: string; value: string }[];
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
      return choices.map((c) => c.value);
    };
    expect(await suggest('')).toContain('Europe/Berlin');
    expect(await suggest('zzz')).toEqual([]);
    const europe = await suggest('Europe/');
    expect(europe).toHaveLength(25);
    expect(europe.every((z) => z.startsWith('Europe/'))).toBe(true);
    expect(await suggest('x'.repeat(200))).toEqual([]);
    const out = await p.step(() => fake.slash(p.user, p.place, 'settings', { zone: 'zzz' }));
    expect(allText(out)).toMatch(/zzz/);
    expect((await world.store.loadUser(userRef(p)))?.settings.timeZoneConfirmed).toBeFalsy();
  });
});
