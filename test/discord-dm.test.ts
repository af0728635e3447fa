/**
 * The Discord bot end to end: the real discord.js client, connected to a fake Discord
 * (REST + gateway on 127.0.0.1), a real engine and a throwaway Redis. Each test acts as a
 * person would, in a DM or in a server, and checks what that person would see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisFormMemory } from '../adapters/discord/form-memory.js';
import { startDiscord } from '../adapters/discord/start.js';
import { t } from '../src/i18n/translate.js';
import { silentLog } from '../src/log.js';
import { EPHEMERAL, GUILD_CHANNEL_ID, type RecordedCall, type StoredMessage } from './helpers/fake-discord.js';
import { startWorld, TOKEN, type DiscordWorld } from './helpers/fake-discord-setup.js';
import { allText, DiscordPerson, leaves, until } from './helpers/fake-discord-user.js';

const NOW = new Date('2026-11-23T09:30:00Z'); // a Monday, 10:30 in Berlin
const en = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => t('en', key, params);

let world: DiscordWorld;
beforeAll(async () => {
  world = await startWorld(NOW, { heartbeatIntervalMs: 1500 });
});
afterAll(async () => world?.stop());

/** What every message the bot sent must respect, whatever the reply. */
function expectWithinLimits(messages: readonly StoredMessage[]): void {
  for (const m of messages) {
    expect(m.content.length).toBeLessThanOrEqual(2000);
    expect(m.components.length).toBeLessThanOrEqual(5);
    for (const row of m.components) expect(((row['components'] ?? []) as unknown[]).length).toBeLessThanOrEqual(5);
    for (const leaf of leaves(m)) {
      expect((leaf.custom_id ?? '').length).toBeLessThanOrEqual(100);
      expect((leaf.label ?? '').length).toBeLessThanOrEqual(80);
      expect((leaf.options ?? []).length).toBeLessThanOrEqual(25);
    }
  }
}

describe('the gateway connection', () => {
  it('identifies with the Guilds and DirectMessages intents only, and keeps its heartbeat acknowledged', async () => {
    const [identify] = world.fake.gateway.identifies;
    expect(identify?.intents).toBe(1 | 4096); // Guilds | DirectMessages: no privileged intent
    await until(() => world.fake.gateway.heartbeats > 0, 'a heartbeat');
    const calls = world.fake.calls.map((c) => `${c.method} ${c.path}`);
    expect(calls[0]).toBe('GET /gateway/bot');
  });

  it('a token Discord refuses stops start-up with a message that does not repeat it', async () => {
    const wrong = `${TOKEN.slice(0, -6)}wrong0`;
    const config = { ...world.config, token: wrong };
    const failure = await startDiscord({ engine: world.engine, config, forms: new RedisFormMemory(world.connection, world.prefix), log: silentLog }).then(() => null, (e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toMatch(/Discord login failed/);
    expect(String((failure as Error).message)).not.toContain(wrong);
  });
});

describe('a DM conversation, as a new user tries it', () => {
  it('goes from "help" to the letter with typed lines, buttons, dropdowns and modals', async () => {
    const ana = new DiscordPerson(world.fake, world.bot, { id: '200000000000000011', username: 'ana' });

    expect(allText(await ana.say('help'))).toContain(en('help.intro'));

    // First contact: Discord tells no time zone, so it is asked once, before the case starts.
    const started = await ana.say('start Acme');
    expect(allText(started)).toContain(en('start.intro', { client: 'Acme' }));
    const zoneModal = await ana.open(en('discord.answer'));
    expect(zoneModal.title).toBe(en('discord.answer.title'));
    expect(JSON.stringify(zoneModal.components)).toContain('Europe/Berlin'); // what is accepted, under the label
    const signs = await ana.submit(zoneModal, { v: 'Berlin' });
    expect(allText(signs)).toContain(en('settings.saved'));

    // The warning signs: a multi-select.
    await ana.pick([en('sign.ignoresTerms'), en('sign.paysLate')]);
    await ana.say('skip'); // no note, typed
    await ana.say('skip'); // no gut check
    await ana.say('Yes, and nothing changed');
    expect(allText(await ana.click(en('cooling.days.recommended', { count: 3 })))).toMatch(/Thu, Nov 26, 2026/);
    // While cooling off any line shows where things stand, with a button to go on anyway.
    await ana.say('?');
    await ana.click(en('cooling.continueNow'));
    await ana.click(en('common.yes')); // a written contract
    await ana.click(en('contract.clause.yes'));
    const days = await ana.open(en('discord.answer'));
    expect(allText(await ana.submit(days, { v: '30' }))).toContain(en('contract.clause.noted', { count: 30 }));
    await ana.click(en('common.yes')); // paid work delivered

    // An unpaid invoice through the form's modal, the currency pre-filled.
    await ana.click(en('contract.invoices.add'));
    const invoice = await ana.open(en('discord.form.open'));
    expect(invoice.title).toBe(en('invoice.form.title'));
    expect(invoice.components).toHaveLength(3);
    expect(JSON.stringify(invoice.components)).toContain('"value":"USD"');
    const added = await ana.submit(invoice, { amount: '1200', currency: 'EUR', due: '2026-12-15' });
    expect(allText(added)).toContain('€1,200.00, due Tuesday, December 15, 2026');
    await ana.click(en('contract.invoices.done'));
    await ana.say('skip'); // no loose ends

    await ana.click(en('channel.video'));
    await ana.click(en('reason.notFit'));
    // The talk's date and time through a modal, parsed and checked by the engine.
    const when = await ana.open(en('discord.answer'));
    const past = await ana.submit(when, { v: '2026-11-20 14:00' });
    expect(allText(past)).toMatch(/already in the past/);
    const held = await ana.submit(await ana.open(en('discord.answer')), { v: '2026-11-30 14:00' });
    // Money first: the invoice is due after the talk, so holding the talk is offered.
    expect(allText(held)).toContain('€1,200.00, due Tuesday, December 15, 2026');
    const talk = await ana.click(en('money.goAhead'));
    expect(allText(talk)).toMatch(/Mon, Nov 30, 2026,? 0?2:00\sPM/u);
    const notice = await ana.click(en('notice.twoWeeks'));
    expect(allText(notice)).toMatch(/last working day: Monday, December 14, 2026/i);
    await ana.say('Website redesign');
    const plan = await ana.click(en('referral.agency'));

    // The handover checklist: ticking a task redraws the same message.
    const list = plan.find((m) => leaves(m).some((l) => l.type === 3));
    expect(list?.content).toContain('Website redesign');
    const tools = en('task.interimTools');
    const ticked = await ana.pick([new RegExp(tools)]);
    const redrawn = world.fake.messages.get(list?.id ?? '');
    expect(redrawn?.content).toContain(`✅ ${tools}`);
    expect(allText(ticked)).toContain(en('tasks.ticked', { task: tools }));
    await ana.click(en('tasks.next'));

    // The letter: shown in an embed and attached as a file.
    const letter = await ana.click('English');
    const withFile = letter.find((m) => m.attachments.length > 0);
    expect(withFile?.attachments[0]?.filename).toBe('notice-acme-en.txt');
    const body = withFile?.attachments[0]?.text ?? '';
    expect(body).toMatch(/^Dear /m);
    expect(body).toContain('Monday, December 14, 2026');
    expect(body).toContain('Website redesign');
    expect(body).toContain('€1,200.00');
    expect(String(withFile?.embeds[0]?.['description'])).toBe(body.replace(/\r\n/g, '\n'));
    await ana.click(en('letter.sent'));
    await ana.click(en('letter.early.sent'));
    expect(allText(await ana.say('status Acme'))).toMatch(/sent on Mon, Nov 23, 2026/);

    // An answered question keeps its text but loses its buttons, and notes what was picked.
    const answered = ana.dm.find((m) => m.content.includes(en('notice.ask')));
    expect(answered?.components).toEqual([]);
    expect(answered?.content).toContain(`› ${en('notice.twoWeeks')}`);
    expectWithinLimits(ana.dm);
    expect(world.logs.filter((l) => !l.startsWith('info'))).toEqual([]);
  });
});

/** The REST calls that put text in front of someone, with the body that carries the text. */
function messageBodies(calls: readonly RecordedCall[]): { call: RecordedCall; body: Record<string, unknown> }[] {
  const out: { call: RecordedCall; body: Record<string, unknown> }[] = [];
  for (const call of calls) {
    const body = (call.body ?? {}) as Record<string, unknown>;
    if (/\/callback$/.test(call.path)) {
      if (body['type'] === 4 || body['type'] === 7) out.push({ call, body: (body['data'] ?? {}) as Record<string, unknown> });
    } else if (/^\/(channels\/\d+\/messages|webhooks\/)/.test(call.path) && (call.method === 'POST' || call.method === 'PATCH')) {
      out.push({ call, body });
    }
  }
  return out;
}

describe('settings by buttons', () => {
  it("a multi-select's confirm button keeps what is shown as selected", async () => {
    const ida = new DiscordPerson(world.fake, world.bot, { id: '200000000000000020', username: 'ida' });
    await ida.say('settings');
    const days = await ida.click(en('settings.workdays'));
    const select = days.flatMap(leaves).find((l) => l.type === 3);
    expect(select?.options?.filter((o) => o.default).map((o) => o.label)).toHaveLength(5);
    const saved = await ida.click(en('common.save'));
    expect(allText(saved)).toContain(en('settings.saved'));
    const state = await world.store.loadUser({ platform: 'discord', tenant: '', id: ida.user.id });
    expect(state?.settings.workdays).toEqual([1, 2, 3, 4, 5]);
    // Picking in the dropdown sends the new selection at once.
    await ida.click(en('settings.workdays'));
    await ida.pick([/Monday/, /Tuesday/]);
    const after = await world.store.loadUser({ platform: 'discord', tenant: '', id: ida.user.id });
    expect(after?.settings.workdays).toEqual([1, 2]);
  });
});

describe('safety', () => {
  it('@everyone in a client name pings nobody: every message goes out with allowed_mentions parse []', async () => {
    const eve = new DiscordPerson(world.fake, world.bot, { id: '200000000000000012', username: 'eve' });
    const from = world.fake.calls.length;
    const out = await eve.say('start @everyone <@200000000000000011> & Co');
    expect(allText(out)).toContain('@everyone');
    const bodies = messageBodies(world.fake.calls.slice(from));
    expect(bodies.length).toBeGreaterThan(0);
    // And over the whole run so far, every path (DM posts, replies, follow-ups, edits).
    for (const { call, body } of messageBodies(world.fake.calls)) {
      expect(body['allowed_mentions'], `${call.method} ${call.path}`).toEqual({ parse: [] });
    }
  });

  it("someone else's button is refused, only to them, and changes nothing", async () => {
    const owner = new DiscordPerson(world.fake, world.bot, { id: '200000000000000013', username: 'omar' });
    await owner.say('start Initech');
    const zone = await owner.open(en('discord.answer'));
    await owner.submit(zone, { v: 'Europe/Paris' });
    await owner.pick([en('sign.negative')]);
    const user = { id: '200000000000000013', platform: 'discord' as const, tenant: '' };
    const before = await world.store.loadUser(user);
    const caseBefore = await world.store.loadCase(user, before?.openCases[0] ?? '');
    const dmBefore = owner.dm.length;

    const intruder = world.fake.addUser({ id: '200000000000000014', username: 'mallory', locale: 'fr' });
    const from = world.fake.calls.length;
    await owner.click('Answer', intruder);
    const refusal = world.fake.calls.slice(from).find((c) => c.path.endsWith('/callback'));
    const data = ((refusal?.body ?? {}) as { type?: number; data?: { content?: string; flags?: number } });
    expect(data.type).toBe(4);
    expect(data.data?.content).toBe(t('fr', 'case.notYours')); // in the clicker's language
    expect((data.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(world.fake.modals.filter((m) => m.userId === intruder.id)).toEqual([]);
    const caseAfter = await world.store.loadCase(user, before?.openCases[0] ?? '');
    expect(caseAfter?.version).toBe(caseBefore?.version);
    expect(owner.dm.length).toBe(dmBefore);
  });
});

describe('when Discord refuses a call', () => {
  it('the failure is logged without the bot token or interaction tokens, and the bot carries on', async () => {
    const fake = world.fake;
    const uma = new DiscordPerson(fake, world.bot, { id: '200000000000000021', username: 'uma' });
    const logged = world.logs.length;
    fake.failNext({ method: 'PATCH', path: /^\/webhooks\//, status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    await uma.step(() => fake.slash(uma.user, uma.place, 'help', {}));
    await uma.step(() => fake.slash(uma.user, uma.place, 'list', {}));
    const lines = world.logs.slice(logged).join('\n');
    expect(lines).toMatch(/Invalid Form Body/);
    expect(lines).not.toContain(TOKEN);
    expect(lines).not.toMatch(/itoken-/);
    expect(allText(uma.dm)).toContain(en('list.empty'));
  });
});

describe('slash commands', () => {
  it('in a server: answered ephemerally, in the user\'s language, and the case goes on in the DM', async () => {
    const fake = world.fake;
    const lena = new DiscordPerson(fake, world.bot, { id: '200000000000000015', username: 'lena', locale: 'de' }, fake.guildPlace());
    const from = fake.calls.length;
    const dm = await lena.step(() => fake.slash(lena.user, fake.guildPlace(), 'start', { client: 'Globex' }));
    const defer = fake.calls.slice(from).find((c) => c.path.endsWith('/callback'));
    expect(defer?.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const [pointer] = fake.channelMessages(GUILD_CHANNEL_ID).filter((m) => m.interaction_id && m.content.includes('discord.com/channels/@me/'));
    expect(pointer?.flags).toBe(EPHEMERAL);
    expect(pointer?.content).toContain(t('de', 'discord.continuedInDm', { link: '' }).trim());
    // The DM speaks German (the Discord client's language, on first contact).
    expect(allText(dm)).toContain(t('de', 'start.intro', { client: 'Globex' }));
    expect(fake.channelMessages(GUILD_CHANNEL_ID).every((m) => m.flags & EPHEMERAL)).toBe(true);
  });

  it('in a server with DMs closed: the answer comes here, ephemeral, with a note', async () => {
    const fake = world.fake;
    const kim = new DiscordPerson(fake, world.bot, { id: '200000000000000016', username: 'kim' }, fake.guildPlace());
    fake.closedDms.add(kim.user.id);
    const before = fake.channelMessages(GUILD_CHANNEL_ID).length;
    await kim.step(() => fake.slash(kim.user, fake.guildPlace(), 'help'));
    const shown = fake.channelMessages(GUILD_CHANNEL_ID).slice(before);
    expect(allText(shown)).toContain(en('discord.dmClosed'));
    expect(allText(shown)).toContain(en('help.intro'));
    expect(shown.every((m) => m.flags & EPHEMERAL)).toBe(true);
    expect(world.logs.filter((l) => /50007|Cannot send/.test(l))).toEqual([]); // expected, not an incident
  });

  it('in the bot DM: answered in place, visible, like a typed command', async () => {
    const fake = world.fake;
    const ravi = new DiscordPerson(fake, world.bot, { id: '200000000000000017', username: 'ravi' });
    const out = await ravi.step(() => fake.slash(ravi.user, ravi.place, 'list'));
    expect(allText(out)).toContain(en('list.empty'));
    expect(out.every((m) => (m.flags & EPHEMERAL) === 0)).toBe(true);
  });

  it('settings: the zone option autocompletes IANA zones and sets the zone in one go', async () => {
    const fake = world.fake;
    const sam = new DiscordPerson(fake, world.bot, { id: '200000000000000018', username: 'sam' });
    await sam.step(() => fake.autocomplete(sam.user, sam.place, 'settings', 'zone', 'ho chi'));
    const choices = fake.autocompleteResults.at(-1) as { name: string; value: string }[];
    expect(choices.map((c) => c.value)).toContain('Asia/Ho_Chi_Minh');
    expect(choices.length).toBeLessThanOrEqual(25);
    await sam.step(() => fake.autocomplete(sam.user, sam.place, 'settings', 'zone', 'new y'));
    expect((fake.autocompleteResults.at(-1) as { value: string }[])[0]?.value).toBe('America/New_York');

    const out = await sam.step(() => fake.slash(sam.user, sam.place, 'settings', { zone: 'Asia/Ho_Chi_Minh' }));
    expect(allText(out)).toContain(en('settings.saved'));
    const state = await world.store.loadUser({ platform: 'discord', tenant: '', id: sam.user.id });
    expect(state?.settings).toMatchObject({ timeZone: 'Asia/Ho_Chi_Minh', timeZoneConfirmed: true });
  });

  it('a button this bot does not know (or no longer knows) gets a short private note', async () => {
    const fake = world.fake;
    const zoe = new DiscordPerson(fake, world.bot, { id: '200000000000000019', username: 'zoe' });
    const [message] = await zoe.say('help');
    const from = fake.calls.length;
    await zoe.step(() => fake.click(zoe.user, zoe.place, message as StoredMessage, 'something-else'));
    const reply = fake.calls.slice(from).find((c) => c.path.endsWith('/callback'))?.body as { data?: { content?: string; flags?: number } };
    expect(reply.data?.content).toBe(en('discord.expired'));
    expect(reply.data?.flags).toBe(EPHEMERAL);
  });
});

describe('after a restart', () => {
  const pia = { id: '200000000000000022', username: 'pia' };

  it('a form shown before the restart opens and is accepted after it (forms wait in Redis)', async () => {
    const before = new DiscordPerson(world.fake, world.bot, pia);
    // Typed all the way, as the console does: zone, signs, cooling off, contract, add an invoice.
    for (const line of ['start Umbrella', 'Berlin', '1,8', 'skip', 'skip', '1', '2', '?', '1', '1', '2', '1', '1']) await before.say(line);
    expect(allText(before.dm.slice(-2))).toContain(en('invoice.form.title'));
    await world.restart();
    const after = new DiscordPerson(world.fake, world.bot, pia);
    const invoice = await after.open(en('discord.form.open'));
    expect(invoice.title).toBe(en('invoice.form.title'));
    const added = await after.submit(invoice, { amount: '1200', currency: 'EUR', due: '2026-12-15' });
    expect(allText(added)).toContain('€1,200.00, due Tuesday, December 15, 2026');
    const user = await world.store.loadUser({ platform: 'discord', tenant: '', id: pia.id });
    const [stored] = await world.store.loadCases({ platform: 'discord', tenant: '', id: pia.id }, user?.openCases ?? []);
    expect(stored?.contract.invoices).toEqual([expect.objectContaining({ amount: '1200.00', currency: 'EUR', dueDate: '2026-12-15', paid: false })]);
  });

  it('a form gone from Redis (two weeks later) asks to type instead, and the typed line works', async () => {
    const person = new DiscordPerson(world.fake, world.bot, pia);
    await person.click(en('contract.invoices.add'));
    // What the TTL does after two weeks, done now.
    const formKeys = await world.connection.keys(`${world.prefix}:{discord.-.${pia.id}}:discordform:*`);
    expect(formKeys).toHaveLength(1);
    expect(await world.connection.ttl(formKeys[0] as string)).toBeGreaterThan(13 * 24 * 3600);
    await world.connection.del(...formKeys);
    const from = world.fake.calls.length;
    await person.click(en('discord.form.open'));
    const reply = world.fake.calls.slice(from).find((c) => c.path.endsWith('/callback'))?.body as { type?: number; data?: { content?: string; flags?: number } };
    expect(reply).toMatchObject({ type: 4, data: { content: en('discord.form.expired'), flags: EPHEMERAL } });
    const typed = await person.say('900 EUR 20.12.2026');
    expect(allText(typed)).toContain('€900.00, due Sunday, December 20, 2026');
    const next = await person.click(en('contract.invoices.done'));
    expect(allText(next)).toContain(en('contract.looseEnds'));
  });
});
