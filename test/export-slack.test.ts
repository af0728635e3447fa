/**
 * `export <client>` on Slack: the calendar and the packet are uploaded to the DM
 * (files.uploadV2 against the fake Web API), with a real engine on a throwaway Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/slack-harness.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';
import { advanceToHandover } from './helpers/advance-case.js';

const EXPECTED = ['globex-dates.ics', 'globex-closeout-en.pdf', 'globex-closeout-en.md'];

describe('Slack: export uploads the files to the DM', () => {
  let redis: TestRedis;
  let h: Harness;
  beforeAll(async () => {
    redis = await startRedis();
    h = await startHarness(redis, []);
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('uploads the calendar, the PDF and the Markdown, and says which dates are missing', async () => {
    const ana = h.user('UANA');
    await h.act(() => ana.command('start Globex'));
    const before = ana.messages().length;
    const uploadsBefore = h.api.uploads.length;
    await h.act(() => ana.command('export Globex'));
    expect(ana.textSince(before)).toContain('Not in the calendar yet, because it is not set: the talk and your last working day.');
    const names = h.api.callsOf('files.getUploadURLExternal').slice(-3).map((c) => c.args['filename']);
    expect(names).toEqual(EXPECTED);
    for (const done of h.api.callsOf('files.completeUploadExternal').slice(-3)) expect(done.args['channel_id']).toBe(ana.dm);
    const bodies = h.api.uploads.slice(uploadsBefore);
    expect(bodies[0]).toContain('BEGIN:VCALENDAR');
    expect(bodies[1]).toContain('%PDF-');
    expect(bodies[2]).toContain('# Closeout packet: Globex');
    // Attached only: no code block of the calendar in the chat.
    expect(ana.textSince(before)).not.toContain('BEGIN:VCALENDAR');
  });

  it('status has an export button; after the talk moves, the updated calendar is offered and uploaded', async () => {
    const bo = h.user('UBO');
    await h.act(() => bo.command('start Initech'));
    await advanceToHandover(h.store, { platform: 'slack', tenant: 'T1', id: 'UBO' });
    await h.act(() => bo.command('status Initech'));
    const uploads = h.api.callsOf('files.getUploadURLExternal').length;
    await h.act(() => bo.click('Export calendar and packet'));
    expect(h.api.callsOf('files.getUploadURLExternal').slice(uploads).map((c) => c.args['filename'])).toEqual([
      'initech-dates.ics',
      'initech-closeout-en.pdf',
      'initech-closeout-en.md',
    ]);
    // The clicked message now shows what was picked; the actions come with a fresh status.
    await h.act(() => bo.command('status Initech'));
    await h.act(() => bo.click('Change the talk date'));
    await h.act(() => bo.answer('2026-11-26 15:00'));
    const before = bo.messages().length;
    await h.act(() => bo.click('Get the updated calendar file'));
    const calls = h.api.callsOf('files.getUploadURLExternal');
    expect(calls.at(-1)?.args['filename']).toBe('initech-dates.ics');
    expect(calls).toHaveLength(uploads + 4);
    expect(h.api.uploads.at(-1)).toMatch(/DTSTART;TZID=[^:]+:20261126T150000/);
    expect(bo.textSince(before)).toContain('Here is the calendar file for Initech as things stand now.');
  });
});
