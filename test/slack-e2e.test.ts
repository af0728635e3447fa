/**
 * A whole case through Slack, end to end: the real Bolt app over HTTP with signed requests,
 * the real store on a throwaway Redis, a fake Slack Web API recording what the user would see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../src/model/user.js';
import { startHarness, type Harness } from './helpers/slack-harness.js';
import { blocksText } from './helpers/slack-user.js';
import { startRedis, type TestRedis } from './helpers/redis-server.js';

let redis: TestRedis;
let h: Harness;
const logLines: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness(redis, logLines);
});

afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

describe('Slack: a whole case from /offboard start to the letter and the wrap-up', () => {
  it('walks the flow with slash commands, buttons, checkboxes, pickers, a modal and reminders by DM', async () => {
    const ana = h.user('UANA');
    const ref: UserRef = { platform: 'slack', tenant: 'T1', id: 'UANA' };
    const onlyCase = async () => {
      const state = await h.store.loadUser(ref);
      const [c] = await h.store.loadCases(ref, state?.openCases.length ? state.openCases : (state?.history.map((x) => x.caseId) ?? []));
      if (!c) throw new Error('no case');
      return c;
    };

    await h.act(() => ana.command('start Acme'));
    expect(ana.textSince(0)).toContain("Let's look at Acme together");
    // First contact: zone and language from the Slack profile, so no zone question.
    expect(h.api.callsOf('users.info')).toHaveLength(1);
    expect((await h.store.loadUser(ref))?.settings).toMatchObject({ timeZone: 'Europe/Berlin', timeZoneConfirmed: true, locale: 'en' });

    await h.act(() => ana.tick(['Ignores the contract terms (fees, payment schedule)', 'Pays late'], 'Next'));
    expect((await onlyCase()).reasons).toEqual(['ignoresTerms', 'paysLate']);
    // The answered question shows the answer instead of its buttons.
    const signs = ana.messages().find((m) => blocksText(m.blocks).includes('What makes you think'));
    expect(JSON.stringify(signs?.blocks)).not.toContain('"checkboxes"');
    expect(blocksText(signs?.blocks)).toContain('Ignores the contract terms (fees, payment schedule), Pays late');

    await h.act(() => ana.click('Skip'));
    await h.act(() => ana.click('Skip')); // no gut check
    await h.act(() => ana.click('Yes, and nothing changed'));
    await h.act(() => ana.click('3 days (suggested)'));
    expect((await onlyCase()).coolingOffUntil).toBe('2026-11-26T08:00:00.000Z');

    // The cooling-off reminder arrives by DM, with buttons, and its key in the message metadata.
    const sentBefore = ana.messages().length;
    expect(await h.remind(ref, 'coolingEnd', 'cool-1')).toBeUndefined();
    const reminder = ana.messages()[sentBefore];
    expect(blocksText(reminder?.blocks)).toContain('The cooling-off period is over');
    expect(reminder?.metadata).toEqual({ event_type: 'offboard_reminder', event_payload: { key: 'cool-1' } });
    expect(await h.notifier.check({ key: 'cool-1', user: ref, locale: 'en', replies: [] })).toBe('delivered');
    expect(await h.notifier.check({ key: 'never-sent', user: ref, locale: 'en', replies: [] })).toBe('notDelivered');

    // A click on the reminder is an ordinary answer.
    await h.act(() => ana.click('Yes, continue'));
    await h.act(() => ana.click('Yes'));
    await h.act(() => ana.click('Yes, it has one'));
    await h.act(() => ana.answer('30'));
    expect((await onlyCase()).contract.noticeDays).toBe(30);
    await h.act(() => ana.click('Yes'));

    // The invoice form opens as a modal straight from the click.
    await h.act(() => ana.click('Yes, add one'));
    const modal = h.api.callsOf('views.open').at(-1)?.args['view'] as { title: { text: string }; blocks: unknown[] };
    expect(modal.title.text).toBe('Unpaid invoice');
    // A refused form comes back as a modal with the reason and what was typed.
    const opened = h.api.callsOf('views.open').length;
    await h.act(() => ana.submitModal({ amount: 'lots', currency: 'EUR', due: '2026-12-15' }));
    expect(h.api.callsOf('views.open')).toHaveLength(opened + 1);
    const again = h.api.callsOf('views.open').at(-1)?.args['view'] as { blocks: unknown[] };
    expect(blocksText(again.blocks)).toMatch(/amount/i);
    expect(JSON.stringify(again.blocks)).toContain('"initial_value":"lots"');
    await h.act(() => ana.submitModal({ amount: '1200', currency: 'EUR', due: '2026-12-15' }));
    expect((await onlyCase()).contract.invoices[0]).toMatchObject({ amount: '1200.00', currency: 'EUR', dueDate: '2026-12-15' });

    await h.act(() => ana.click("That's all"));
    await h.act(() => ana.click('Skip'));
    await h.act(() => ana.click('Phone call'));
    await h.act(() => ana.click('"The work no longer fits my business"'));
    await h.act(() => ana.pickDateTime('2026-11-30', '14:00', 'Use this date and time'));
    // Money first: the invoice is due after the talk; going ahead is a choice, recorded.
    expect((await onlyCase()).step).toBe('moneyFirst');
    await h.act(() => ana.click('Go ahead anyway'));
    expect((await onlyCase()).conversation.at).toBe('2026-11-30T13:00:00.000Z');
    await h.act(() => ana.click('Two weeks'));
    expect((await onlyCase()).notice.lastDay).toBe('2026-12-14');
    await h.act(() => ana.answer('Website'));
    await h.act(() => ana.click('A full-service agency'));

    // The handover plan is a checklist of checkboxes.
    await h.act(() => ana.toggleTask('Website'));
    expect((await onlyCase()).tasks.find((t) => t.title === 'Website')?.done).toBe(true);
    await h.act(() => ana.click('Plan is ready'));

    // The letter: a copyable block in the DM and a file.
    const beforeLetter = ana.messages().length;
    await h.act(() => ana.click('English'));
    expect(ana.textSince(beforeLetter)).toContain('```');
    expect(ana.textSince(beforeLetter)).toContain('Monday, December 14, 2026');
    const upload = h.api.callsOf('files.completeUploadExternal').at(-1);
    expect(upload?.args['channel_id']).toBe(ana.dm);
    expect(h.api.uploads.at(-1)).toContain('effective Monday, December 14, 2026, which will be my last working day');
    // Marked sent before the talk: a choice instead of a celebration.
    await h.act(() => ana.click("I've sent it"));
    expect((await onlyCase()).step).toBe('letterEarly');
    await h.act(() => ana.click('I sent it anyway'));
    expect((await onlyCase()).letter.sentAt).toBeTruthy();

    // Wrap-up after the last day, from its reminder.
    expect(await h.remind(ref, 'wrapUp')).toBeUndefined();
    await h.act(() => ana.tick(['Final invoice paid', 'All my access revoked', 'Files and credentials handed over', 'Thank-you note sent'], 'Save'));
    // "Final invoice paid" names the recorded invoice before marking it paid.
    await h.act(() => ana.click('Yes'));
    expect((await onlyCase()).contract.invoices[0]?.paid).toBe(true);
    // Handover tasks still open are named; the user closes knowingly.
    await h.act(() => ana.click('Close the case anyway'));
    const done = await onlyCase();
    expect(done).toMatchObject({ stage: 'closed', outcome: 'done' });

    // The App Home shows the closed case; it was refreshed after each change.
    await h.act(() => ana.homeOpened());
    const home = h.api.callsOf('views.publish').at(-1)?.args;
    expect(home?.['user_id']).toBe('UANA');
    expect(blocksText((home?.['view'] as { blocks: unknown[] }).blocks)).toContain('Acme (ended well)');

    // Tokens never reach the log.
    expect(logLines.join('\n')).not.toContain('xoxb-test');
  });
});
