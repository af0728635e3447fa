/**
 * Reminders over REST only: the notifier posts to the user's DM through the fake Discord,
 * with buttons the running bot then answers; failures come back as DeliveryErrors the
 * worker can act on.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisFormMemory } from '../adapters/discord/form-memory.js';
import { createDiscordNotifier } from '../adapters/discord/notifier.js';
import { redisPartProgress } from '../adapters/discord/part-progress.js';
import { DeliveryError, type OutboundMessage } from '../src/delivery/notifier.js';
import { parseTyped } from '../src/engine/parse-command.js';
import { t } from '../src/i18n/translate.js';
import type { Reply } from '../src/model/reply.js';
import type { UserRef } from '../src/model/user.js';
import { startWorld } from './helpers/fake-discord-setup.js';
import { allText, DiscordPerson, leaves } from './helpers/fake-discord-user.js';

const NOW = new Date('2026-11-23T09:30:00Z');
let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  world = await startWorld(NOW);
});
afterAll(async () => world?.stop());

/** A case cooling off, and the "still sure?" reminder the worker would send when it ends. */
async function coolingReminder(userId: string): Promise<{ user: UserRef; replies: Reply[]; key: string }> {
  const user: UserRef = { platform: 'discord', tenant: '', id: userId };
  for (const line of ['start Acme @everyone', '1,8', 'skip', 'skip', '1', '2']) {
    await world.engine.handle({ user, inbound: parseTyped(line), hints: { locale: 'en', timeZone: 'Europe/Berlin' } });
  }
  const caseId = (await world.store.loadUser(user))?.openCases[0] ?? '';
  const planned = (await world.store.loadCase(user, caseId))?.reminders.find((r) => r.kind === 'coolingEnd');
  if (!planned) throw new Error('no cooling-off reminder planned');
  const due = await world.engine.handle({
    user,
    inbound: { kind: 'reminder', caseId, reminderId: planned.id, reminderKind: planned.kind, subject: planned.subject, at: planned.at, late: false },
  });
  return { user, replies: due.replies, key: `${caseId}.${planned.id}.${planned.at.slice(0, 10)}` };
}

const notifier = () => createDiscordNotifier({ token: world.config.token, apiUrl: world.config.apiUrl });

async function failure(send: Promise<void>): Promise<DeliveryError> {
  const err = await send.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('the REST notifier', () => {
  it('a form in a reminder is kept in Redis, so the bot process opens its modal on the first click', async () => {
    const eve = new DiscordPerson(world.fake, world.bot, { id: '300000000000000078', username: 'eve' });
    const user: UserRef = { platform: 'discord', tenant: '', id: eve.user.id };
    const form: Reply = {
      kind: 'form',
      ref: { caseId: 'cReminderForm', question: 'invoice' },
      title: 'Add an unpaid invoice',
      fields: [{ id: 'amount', label: 'Amount', input: 'number' }],
      submitLabel: 'Save',
    };
    // The worker's notifier, not the bot: only Redis is shared between them.
    const sender = createDiscordNotifier({ token: world.config.token, apiUrl: world.config.apiUrl }, { forms: new RedisFormMemory(world.connection, world.prefix) });
    await sender.send({ key: 'k-form', user, locale: 'en', replies: [form] });
    const modal = await eve.open(t('en', 'discord.form.open'));
    expect(modal.title).toBe('Add an unpaid invoice');
  });

  it('a reminder in two messages whose second fails until Discord has forgotten the nonces: the first is not posted again', async () => {
    const bea = new DiscordPerson(world.fake, world.bot, { id: '300000000000000077', username: 'bea' });
    const { user, replies, key } = await coolingReminder(bea.user.id);
    const extra: Reply = { kind: 'choices', ref: { question: 'pay:i9' }, text: 'Has Acme paid invoice 9?', options: [{ value: 'paid', label: 'Paid' }] };
    const message: OutboundMessage = { key: `${key}.two`, user, locale: 'en', replies: [...replies, extra] };
    const redis = new Redis(world.redis.url);
    try {
      const sender = createDiscordNotifier({ token: world.config.token, apiUrl: world.config.apiUrl }, { progress: redisPartProgress(redis, `qa-${Date.now()}`) });
      world.fake.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 503, body: { message: 'Service Unavailable', code: 0 }, after: 1 });
      const err = await failure(sender.send(message));
      expect(err.kind).toBe('transient');
      expect(bea.dm).toHaveLength(1);
      world.fake.forgetNonces();
      await sender.send(message);
      // Both parts, each once: without the noted progress the first would now be posted again.
      expect(bea.dm.map((m) => m.content.includes('paid invoice 9'))).toEqual([false, true]);
    } finally {
      redis.disconnect();
    }
  });

  it('delivers a reminder to the DM with working buttons, once however often it is sent', async () => {
    const ana = new DiscordPerson(world.fake, world.bot, { id: '300000000000000001', username: 'ana' });
    const { user, replies, key } = await coolingReminder(ana.user.id);
    const message: OutboundMessage = { key, user, locale: 'en', replies };
    const from = world.fake.calls.length;
    const sender = notifier();
    await sender.send(message);

    const [reminder] = ana.dm;
    expect(reminder?.content).toContain(t('en', 'cooling.check', { client: 'Acme @everyone' }));
    expect(leaves(reminder as NonNullable<typeof reminder>).map((l) => l.label)).toEqual([t('en', 'cooling.continue'), t('en', 'cooling.keep'), t('en', 'cooling.more', { count: 2 })]);
    const posts = world.fake.calls.slice(from).filter((c) => c.method === 'POST' && /\/messages$/.test(c.path));
    const body = posts[0]?.body as { nonce?: string; enforce_nonce?: boolean; allowed_mentions?: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce?.length).toBeLessThanOrEqual(25);
    expect(posts.every((c) => c.authorized)).toBe(true);

    // A resend after a crash (a new process, so a new notifier): Discord returns the first message.
    await notifier().send(message);
    expect(ana.dm).toHaveLength(1);
    expect(await sender.check(message)).toBe('unknown');

    // The reminder's buttons work in the running bot, as the engine's own choices.
    const next = await ana.click(t('en', 'cooling.continue'));
    expect(allText(next)).toContain(t('en', 'contract.has', { client: 'Acme @everyone' }));
  });

  it('DMs closed (50007) and an unknown user (10013) are permanent; nothing was sent', async () => {
    const closed = world.fake.addUser({ id: '300000000000000002', username: 'closed' });
    world.fake.closedDms.add(closed.id);
    const text: Reply[] = [{ kind: 'text', text: 'hello' }];
    const dmClosed = await failure(notifier().send({ key: 'k-closed', user: { platform: 'discord', tenant: '', id: closed.id }, locale: 'en', replies: text }));
    expect(dmClosed).toMatchObject({ kind: 'permanent', code: '50007', details: { notSent: true } });
    const gone = await failure(notifier().send({ key: 'k-gone', user: { platform: 'discord', tenant: '', id: '300000000000000099' }, locale: 'en', replies: text }));
    expect(gone).toMatchObject({ kind: 'permanent', code: '10013' });
    expect(dmClosed.message).not.toContain(world.config.token);
  });

  it('429 is rateLimited with the retry-after and its scope, and is not waited out; 5xx is transient', async () => {
    const bea = world.fake.addUser({ id: '300000000000000003', username: 'bea' });
    const to: UserRef = { platform: 'discord', tenant: '', id: bea.id };
    const text: Reply[] = [{ kind: 'text', text: 'hello' }];
    world.fake.failNext({
      method: 'POST',
      path: /\/messages$/,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 2.5, global: true },
      headers: { 'retry-after': '3', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
    });
    const started = Date.now();
    const limited = await failure(notifier().send({ key: 'k-429', user: to, locale: 'en', replies: text }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(limited).toMatchObject({ kind: 'rateLimited', code: 'ratelimited', details: { retryAfterMs: 3000, scope: 'global', notSent: true } });

    world.fake.failNext({ method: 'POST', path: /\/messages$/, status: 503, body: { message: 'upstream', code: 0 } });
    const down = await failure(notifier().send({ key: 'k-503', user: to, locale: 'en', replies: text }));
    expect(down).toMatchObject({ kind: 'transient', code: 'http_503' });
  });

  it('counts against the whole bot\'s budget of 50 requests a second', () => {
    expect(notifier().budget?.({ platform: 'discord', tenant: '', id: '1' })).toEqual({ key: 'discord.bot', points: 50, perSeconds: 1 });
    expect(notifier().platform).toBe('discord');
  });
});
