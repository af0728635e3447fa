/**
 * Slack as freelancers use it, beyond the happy path: odd command arguments, two cases at
 * once, stale and doubled clicks, refused dates, `forget` and coming back, the App Home after
 * each change. The real Bolt app over signed HTTP against the fake Web API, on a throwaway Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../src/model/user.js';
import { SECRET, startHarness, type Harness } from './helpers/slack-harness.js';
import { blocksText, type SlackUser } from './helpers/slack-user.js';
import { interactionBody, postSigned } from './helpers/slack-sign.js';
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

const ref = (id: string): UserRef => ({ platform: 'slack', tenant: 'T1', id });
/** A copy of what the user's screen showed at this moment (later chat.update calls change the originals). */
const snapshot = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

interface HomeBlock {
  block_id?: string;
  elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[];
}
const homeOf = (id: string): HomeBlock[] => {
  const view = h.api.callsOf('views.publish').filter((c) => c.args['user_id'] === id).at(-1)?.args['view'] as { blocks: HomeBlock[] } | undefined;
  return view?.blocks ?? [];
};
const homeText = (id: string): string => blocksText(homeOf(id));

async function openCases(id: string) {
  const state = await h.store.loadUser(ref(id));
  return h.store.loadCases(ref(id), state?.openCases ?? []);
}

describe('Slack QA: coming back after forget', () => {
  it('after `forget`, a new start takes the language and time zone from the Slack profile again', async () => {
    h.api.profiles.set('UFORGET', { tz: 'America/New_York', locale: 'de-DE' });
    const ute = h.user('UFORGET');
    await h.act(() => ute.command('start Alpha'));
    expect((await h.store.loadUser(ref('UFORGET')))?.settings).toMatchObject({ locale: 'de', timeZone: 'America/New_York' });
    await h.act(() => ute.command('forget'));
    await h.act(() => ute.click('Alles löschen'));
    expect(await h.store.loadUser(ref('UFORGET'))).toBeNull();

    const from = ute.messages().length;
    await h.act(() => ute.command('start Alpha'));
    // A newcomer again: German, and no question about the zone Slack already told us.
    expect(ute.textSince(from)).toContain('Schauen wir uns Alpha gemeinsam an');
    expect(ute.textSince(from)).not.toMatch(/time zone|Zeitzone/i);
    expect((await h.store.loadUser(ref('UFORGET')))?.settings).toMatchObject({ locale: 'de', timeZone: 'America/New_York', timeZoneConfirmed: true });
  });
});

/** Walks a new case with no contract or invoices up to its handover checklist. */
async function toHandover(u: SlackUser, client: string): Promise<void> {
  await h.act(() => u.command(`start ${client}`));
  await h.act(() => u.tick(['Pays late'], 'Next'));
  await h.act(() => u.click('Skip'));
  await h.act(() => u.click('Skip')); // no gut check
  await h.act(() => u.click('Yes, and nothing changed'));
  await h.act(() => u.click('Skip cooling off'));
  await h.act(() => u.click("Skip it, I'm sure"));
  await h.act(() => u.click('No'));
  await h.act(() => u.click('Done, I have them'));
  await h.act(() => u.click('Yes'));
  await h.act(() => u.click('No, all paid'));
  await h.act(() => u.click('Skip'));
  await h.act(() => u.click('Video call'));
  await h.act(() => u.click('"My services no longer meet your needs"'));
  await h.act(() => u.answer('2026-12-02 10:00'));
  await h.act(() => u.click('Two weeks'));
  await h.act(() => u.click('Skip'));
  await h.act(() => u.click('No one comes to mind'));
}

interface ShownBlock {
  block_id?: string;
  elements?: { type: string; action_id?: string; options?: { text: { text: string }; value: string }[] }[];
}

/** What Slack sends when the user's checkboxes in `message` now show these labels ticked. */
function checkboxesNowShow(u: SlackUser, message: { ts: string; channel: string; blocks?: unknown[] }, labels: string[]) {
  const block = (message.blocks as ShownBlock[]).find((b) => b.elements?.some((e) => e.type === 'checkboxes'));
  const element = block?.elements?.find((e) => e.type === 'checkboxes');
  if (!block || !element) throw new Error('no checklist in the message');
  const selected_options = (element.options ?? []).filter((o) => labels.includes(o.text.text));
  const payload = {
    type: 'block_actions',
    user: { id: u.id, username: u.id.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.${Math.random().toString(16).slice(2)}`,
    team: { id: 'T1', domain: 'test' },
    channel: { id: message.channel, name: 'directmessage' },
    message: { type: 'message', ts: message.ts, text: '', blocks: message.blocks },
    state: { values: {} },
    response_url: h.api.responseUrl(`qa-${Math.random().toString(16).slice(2)}`),
    actions: [{ block_id: block.block_id, action_id: element.action_id, type: 'checkboxes', selected_options, action_ts: `${Date.now() / 1000}` }],
  };
  return postSigned(h.url, { secret: SECRET, body: interactionBody(payload), contentType: 'application/x-www-form-urlencoded' });
}


describe('Slack QA: the handover checklist', () => {
  it('unticking a task shows its name where the checkboxes were, not an internal id', async () => {
    const ute = h.user('UUNTICK');
    await toHandover(ute, 'Acme');
    await h.act(() => ute.toggleTask('Return all client files'));
    const ticked = ute.messages().at(-1);
    await h.act(() => ute.toggleTask('Return all client files'));
    const answered = blocksText(ute.messages().find((m) => m.ts === ticked?.ts)?.blocks);
    expect(answered).toContain('› ☐ Return all client files');
    expect(answered).not.toMatch(/☐ t\d/);
  });

  it('two tasks ticked quickly in the same list, before it is redrawn, are both done', async () => {
    const tim = h.user('UQUICK');
    await toHandover(tim, 'Acme');
    const list = snapshot(tim.messages().at(-1));
    if (!list) throw new Error('no checklist');
    const from = tim.messages().length;
    // Slack sends the whole selection each time: first [passwords], then [passwords, access].
    expect((await checkboxesNowShow(tim, list, ['Hand over passwords and credentials'])).status).toBe(200);
    expect((await checkboxesNowShow(tim, list, ['Hand over passwords and credentials', 'Revoke my own access'])).status).toBe(200);
    await h.api.waitFor(() => tim.textSince(from).includes('Done: Revoke my own access') || tim.textSince(from).split('Done: Hand over').length > 2, 'both ticks to be answered');
    await h.slack.idle();
    const tasks = (await openCases('UQUICK'))[0]?.tasks ?? [];
    expect(tasks.filter((t) => t.done).map((t) => t.kind).sort()).toEqual(['handCredentials', 'revokeAccess']);
    expect(tim.textSince(from)).toContain('Done: Revoke my own access');
    expect(tim.textSince(from).split('Done: Hand over passwords and credentials').length).toBe(2);
  });
});
/** Every section / context text of a message is within Block Kit's limits, or Slack rejects it. */
function withinLimits(blocks: unknown[] | undefined): boolean {
  return ((blocks ?? []) as { type: string; text?: { text: string }; elements?: { text?: string }[] }[]).every((b) => {
    if (b.type === 'section') return (b.text?.text.length ?? 0) <= 3000;
    if (b.type === 'context') return (b.elements ?? []).every((e) => (e.text?.length ?? 0) <= 2000);
    return true;
  }) && (blocks ?? []).length <= 50;
}

describe('Slack QA: command words with odd arguments', () => {
  it('`start` without a client asks for the name; a typed name starts the case', async () => {
    const sam = h.user('USTART');
    await h.act(() => sam.command('start'));
    expect(sam.textSince(0)).toContain('Which client is this about?');
    await h.act(() => sam.answer('Globex'));
    expect((await openCases('USTART')).map((c) => c.client)).toEqual(['Globex']);
  });

  it('`status` of an unknown client says so; a 10 kB name is cut with a warning and fits Slack', async () => {
    const max = h.user('ULONG');
    await h.act(() => max.command('status Nobody'));
    expect(max.textSince(0)).toContain('I found no case called "Nobody"');
    const from = max.messages().length;
    await h.act(() => max.command(`start ${'A'.repeat(10_000)}`));
    expect(max.textSince(from)).toContain('I kept the first 80 characters');
    for (const m of max.messages()) expect(withinLimits(m.blocks)).toBe(true);
    expect((await openCases('ULONG'))[0]?.client.length).toBeLessThanOrEqual(81);
    expect(homeText('ULONG')).toContain(`${'A'.repeat(80)}…`);
  });
});

describe('Slack QA: stale and doubled clicks', () => {
  it('a button clicked twice at once acts once; an old button later says the question moved on', async () => {
    const dan = h.user('UDOUBLE');
    await h.act(() => dan.command('start Acme'));
    await h.act(() => dan.tick(['Pays late'], 'Next'));
    await h.act(() => dan.click('Skip'));
    await h.act(() => dan.click('Skip')); // no gut check
    await h.act(() => dan.click('Yes, and nothing changed'));
    const cooling = snapshot(dan.messages());
    const from = dan.messages().length;
    const both = await Promise.all([dan.click('3 days (suggested)', { within: cooling }), dan.click('7 days', { within: cooling })]);
    for (const r of both) expect(r.status).toBe(200);
    await h.api.waitFor(() => dan.textSince(from).includes('That question has moved on'), 'the second click to be answered');
    await h.slack.idle();
    // Exactly one of the two took effect, and its reminder is the only one.
    expect(dan.textSince(from).match(/I'll check in with you on/g)).toHaveLength(1);
    const [c] = await openCases('UDOUBLE');
    expect(c?.reminders.filter((r) => r.kind === 'coolingEnd')).toHaveLength(1);
    const until = c?.coolingOffUntil;

    // The question's message shows the pick that counted, never the one refused as too late.
    const counted = until === '2026-11-26T08:00:00.000Z' ? '3 days (suggested)' : '7 days';
    const refused = counted === '7 days' ? '3 days (suggested)' : '7 days';
    const question = () => blocksText(dan.messages().find((m) => m.ts === cooling.at(-1)?.ts)?.blocks);
    expect(question()).toContain(`› ${counted}`);
    expect(question()).not.toContain(`› ${refused}`);

    await h.act(() => dan.click('1 day', { within: cooling }));
    expect((await openCases('UDOUBLE'))[0]?.coolingOffUntil).toBe(until);
    expect(question()).toContain(`› ${counted}`);
    expect(question()).not.toContain('› 1 day');
    expect(homeText('UDOUBLE')).toContain('Next: end of cooling off');
  });
});

describe('Slack QA: profiles Slack cannot vouch for', () => {
  it('an invalid time zone and an unknown locale: English, and the zone is asked, not guessed', async () => {
    h.api.profiles.set('UMARS', { tz: 'Mars/Olympus_Mons', locale: 'xx-YY' });
    const mo = h.user('UMARS');
    await h.act(() => mo.command('start Acme'));
    expect(mo.textSince(0)).toContain("Let's look at Acme together");
    expect(mo.textSince(0)).toContain('Which time zone are you in?');
    expect((await h.store.loadUser(ref('UMARS')))?.settings).toMatchObject({ locale: 'en', timeZoneConfirmed: false });
  });
});
describe('Slack QA: names with & < > as Slack sends them', () => {
  it('"Smith & Sons" typed in a DM or after /offboard is kept as typed, not as "Smith &amp; Sons"', async () => {
    const sue = h.user('UAMP');
    // Slack escapes &, < and > in the text of message events and slash commands.
    await h.act(() => sue.message('start Smith &amp; Sons'));
    await h.act(() => sue.command('start Fish &amp; Chips &lt;UK&gt;'));
    expect((await openCases('UAMP')).map((c) => c.client).sort()).toEqual(['Fish & Chips <UK>', 'Smith & Sons']);
    const raw = JSON.stringify(sue.messages().map((m) => m.blocks));
    // Escaped once for mrkdwn, so Slack shows "Smith & Sons"; never twice.
    expect(raw).toContain("Let's look at Smith &amp; Sons together");
    expect(raw).toContain('Fish &amp; Chips &lt;UK&gt;');
    expect(raw).not.toContain('&amp;amp;');
    expect(homeText('UAMP')).toContain('Smith &amp; Sons: Is it time?');
  });
});
