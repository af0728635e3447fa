/**
 * `export <client>` on Slack: the calendar and the packet are uploaded to the DM
 * (files.uploadV2 against the fake Web API), with a real engine on a throwaway Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/slack-harness.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';

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
});

