/**
 * `export <client>` on Discord: the real discord.js against the fake Discord attaches the
 * calendar and the packet to a DM message, with a real engine on a throwaway Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Loaded as in the bot's process, which holds Slack's libraries too: their undici must not
// take over discord.js's file uploads (adapters/discord/rest-agent.ts).
import '@slack/socket-mode';
import { startWorld, type DiscordWorld } from './helpers/fake-discord-setup.js';
import { allText, DiscordPerson } from './helpers/fake-discord-user.js';
import { advanceToHandover } from './helpers/advance-case.js';

const NOW = new Date('2026-11-23T09:30:00Z');
const EXPECTED = ['globex-dates.ics', 'globex-closeout-en.pdf', 'globex-closeout-en.md'];

describe('Discord: export attaches the files to the DM', () => {
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startWorld(NOW, { heartbeatIntervalMs: 1500 });
  });
  afterAll(async () => world?.stop());

  it('sends the calendar, the PDF and the Markdown as attachments, with their titles', async () => {
    const ana = new DiscordPerson(world.fake, world.bot, { id: '200000000000000077', username: 'ana' });
    await ana.say('start Globex');
    const sent = await ana.say('export Globex');
    const attachments = sent.flatMap((m) => m.attachments);
    expect(attachments.map((a) => a.filename)).toEqual(EXPECTED);
    expect(attachments[0]?.text).toContain('BEGIN:VCALENDAR');
    expect(attachments[1]?.text.startsWith('%PDF-')).toBe(true);
    expect(attachments[2]?.text).toContain('# Closeout packet: Globex');
    expect(allText(sent)).toContain('Calendar for Globex');
    expect(allText(sent)).not.toContain('BEGIN:VCALENDAR');
  });

  it('status has an export button; after the talk moves, the updated calendar is offered and attached', async () => {
    const bo = new DiscordPerson(world.fake, world.bot, { id: '200000000000000078', username: 'bo' });
    await bo.say('start Initech');
    await advanceToHandover(world.store, { platform: 'discord', tenant: '', id: '200000000000000078' });
    await bo.say('status Initech');
    const exported = await bo.click('Export calendar and packet');
    expect(exported.flatMap((m) => m.attachments).map((a) => a.filename)).toEqual(['initech-dates.ics', 'initech-closeout-en.pdf', 'initech-closeout-en.md']);
    await bo.say('status Initech');
    await bo.click('Change the talk date');
    const moved = await bo.say('2026-11-26 15:00');
    expect(allText(moved)).toContain('The calendar file you took for Initech is out of date now.');
    const taken = await bo.click('Get the updated calendar file');
    const files = taken.flatMap((m) => m.attachments);
    expect(files.map((a) => a.filename)).toEqual(['initech-dates.ics']);

    // The user zone is UTC here: written as UTC, not as a floating time.
    expect(files[0]?.text).toContain('DTSTART:20261126T150000Z');
  });
});
