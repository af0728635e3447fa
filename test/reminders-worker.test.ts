import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryEvent } from '../jobs/deliver-reminder.js';
import { openRuntime, type Runtime } from '../jobs/runtime.js';
import { REMINDER_JOB, reminderJobId, type ReminderJobData } from '../jobs/reminder-job.js';
import { startWorker, type RunningWorker } from '../jobs/worker.js';
import { DeliveryError } from '../src/delivery/notifier.js';
import { Engine } from '../src/engine/engine.js';
import { parseTyped } from '../src/engine/parse-command.js';
import type { Commit, Store } from '../src/store/store.js';
import { desiredReminders } from '../src/engine/plan-reminders.js';
import { jsonLines, silentLog } from '../src/log.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/model/settings.js';
import type { UserRef } from '../src/model/user.js';
import { makeCase } from './helpers/fixtures.js';
import { RecordingNotifier } from './helpers/recording-notifier.js';
import { randomPrefix, startRedis, type TestRedis } from './helpers/redis-server.js';
import { ALWAYS_WORKING, hoursAwayFrom, reminderJobsPending, seedCoolingCase } from './helpers/reminder-fixtures.js';
import { closeWorker } from './helpers/close-worker.js';

let server: TestRedis;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await server.stop();
});

interface Harness {
  rt: Runtime;
  notifier: RecordingNotifier;
  events: DeliveryEvent[];
  start(opts?: { lateAfterMs?: number; noNotifier?: true; engine?: Engine }): Promise<RunningWorker>;
}

function harness(): Harness {
  const prefix = randomPrefix();
  const rt = openRuntime({ redisUrl: server.url, keyPrefix: prefix }, silentLog);
  cleanups.push(() => rt.close());
  const notifier = new RecordingNotifier('console');
  const events: DeliveryEvent[] = [];
  return {
    rt,
    notifier,
    events,
    async start(opts = {}) {
      const connection = new Redis(server.url, { maxRetriesPerRequest: null });
      const worker = await startWorker({
        connection,
        keyPrefix: prefix,
        engine: opts.engine ?? rt.engine,
        store: rt.store,
        notifiers: opts.noNotifier ? {} : { console: notifier },
        concurrency: 10,
        lockDurationMs: 2_000,
        stalledIntervalMs: 1_000,
        observe: (e) => events.push(e),
        log: process.env['DEBUG_WORKER'] ? jsonLines((l) => process.stderr.write(l)) : silentLog,
        ...(opts.lateAfterMs !== undefined ? { lateAfterMs: opts.lateAfterMs } : {}),
      });
      cleanups.push(async () => {
        await closeWorker(worker, 2_000);
        connection.disconnect();
      });
      return worker;
    },
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Until no reminder job can still send: then "sent once" is final, not just true so far. */
const settled = (h: Harness) => waitFor('every reminder job to be done', async () => (await reminderJobsPending(h.rt.queue)) === 0);

const soon = (ms: number) => new Date(Date.now() + ms);
const user = (id: string): UserRef => ({ platform: 'console', tenant: '', id });

async function pendingJobs(rt: Runtime): Promise<string[]> {
  const jobs = await rt.queue.getJobs(['delayed', 'wait', 'prioritized', 'active']);
  return jobs.filter((j) => j?.name === 'reminder').map((j) => j.id ?? '');
}

describe('reminder worker (real Redis, real BullMQ)', () => {
  it('a due reminder arrives once, on its own, with its buttons; choosing one moves the case on', async () => {
    const h = harness();
    const ana = user('ana');
    const seeded = await seedCoolingCase(h.rt.store, ana, 'c1', soon(300));
    await h.rt.scheduler.schedule(ana, 'c1', seeded.reminder);
    await h.start();
    await waitFor('the reminder', () => h.notifier.sent.length === 1);
    const msg = h.notifier.sent[0]!;
    const buttons = msg.replies.find((r) => r.kind === 'choices');
    expect(buttons?.kind === 'choices' && buttons.options.map((o) => o.value)).toEqual(expect.arrayContaining(['continue', 'keep']));
    expect(h.notifier.textOf(msg)).toContain('Acme Ltd');
    // The job ends just after the send (it still checks the plan).
    await waitFor('the job to end', async () => (await pendingJobs(h.rt)).length === 0);
    const afterReminder = await h.rt.store.loadCase(ana, 'c1');
    expect(afterReminder?.step).toBe('coolCheck');
    expect(afterReminder?.reminders).toEqual([]);

    if (buttons?.kind !== 'choices') throw new Error('no buttons');
    const turn = await h.rt.engine.handle({ user: ana, inbound: { kind: 'choice', caseId: 'c1', question: buttons.ref.question, value: 'continue' } });
    expect(turn.replies.length).toBeGreaterThan(0);
    expect((await h.rt.store.loadCase(ana, 'c1'))?.stage).toBe('contract');
    await settled(h);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it("a commit that landed but whose answer was lost (Redis dropped the connection, ioredis sent it again and it found its own write): the message it recorded still goes out, once", async () => {
    const h = harness();
    const lea = user('lea');
    const seeded = await seedCoolingCase(h.rt.store, lea, 'c1', soon(100));
    await h.rt.scheduler.schedule(lea, 'c1', seeded.reminder);
    let lost = 0;
    // The store as the engine sees it when the reply to its commit is lost and the resend, which
    // arrives after the first one was applied, answers "versions moved".
    const lossy: Store = Object.create(h.rt.store, {
      commit: {
        value: async (c: Commit): Promise<boolean> => {
          const ok = await h.rt.store.commit(c);
          if (ok && c.created && lost === 0) {
            lost++;
            return false;
          }
          return ok;
        },
      },
    }) as Store;
    await h.start({ engine: new Engine({ store: lossy, effects: h.rt.scheduler }) });
    await waitFor('the reminder', () => h.notifier.sent.length === 1);
    await waitFor('the job to end', async () => (await pendingJobs(h.rt)).length === 0);
    await settled(h);
    expect(lost).toBe(1);
    expect(h.notifier.sent).toHaveLength(1);
    expect(h.notifier.textOf(h.notifier.sent[0]!)).toContain('Acme Ltd');
  });

  it('close(grace) keeps its grace when a send never ends', async () => {
    const h = harness();
    const hung = user('hung');
    const seeded = await seedCoolingCase(h.rt.store, hung, 'c1', soon(100));
    await h.rt.scheduler.schedule(hung, 'c1', seeded.reminder);
    // A platform call that never returns: the job stays in hand however long the close waits.
    h.notifier.send = async (m) => {
      h.notifier.attempts.push(m);
      await new Promise<never>(() => undefined);
    };
    const worker = await h.start();
    await waitFor('the send to start', () => h.notifier.attempts.length === 1);
    const started = performance.now();
    await worker.close(500);
    // Stopping (SIGTERM, docker stop) ends within the grace and a little; its lock then lapses.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a job that comes up before its planned time waits for it instead of arriving early', async () => {
    const h = harness();
    const ed = user('ed');
    const seeded = await seedCoolingCase(h.rt.store, ed, 'c1', soon(3_600_000));
    // As a console that moved its clock forward and then ended leaves it: due now on the real clock.
    const data: ReminderJobData = { user: ed, caseId: 'c1', reminderId: seeded.reminder.id, kind: seeded.reminder.kind, subject: seeded.reminder.subject, at: seeded.reminder.at };
    await h.rt.queue.add(REMINDER_JOB, data, { jobId: reminderJobId(ed, 'c1', seeded.reminder.id), delay: 0 });
    await h.start();
    await waitFor('the job to be put off', async () => (await h.rt.queue.getJobs(['delayed'])).some((j) => j.name === 'reminder'));
    const job = (await h.rt.queue.getJobs(['delayed'])).find((j) => j.name === 'reminder');
    const score = await h.rt.jobsRedis.zscore(h.rt.queue.keys['delayed'] ?? '', job?.id ?? '');
    expect(Math.abs(Math.floor(Number(score) / 0x1000) - Date.parse(seeded.reminder.at))).toBeLessThan(2_000);
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('scheduling again replaces the job, cancelling removes it, and one job per (case, kind, subject)', async () => {
    const h = harness();
    const bo = user('bo');
    const seeded = await seedCoolingCase(h.rt.store, bo, 'c1', soon(3_600_000));
    await h.rt.scheduler.schedule(bo, 'c1', seeded.reminder);
    const later = { ...seeded.reminder, at: soon(7_200_000).toISOString() };
    await h.rt.scheduler.schedule(bo, 'c1', later);
    await h.rt.scheduler.schedule(bo, 'c1', later);
    const jobs = (await h.rt.queue.getJobs(['delayed'])).filter((j) => j.name === 'reminder');
    expect(jobs.map((j) => j.id)).toEqual([reminderJobId(bo, 'c1', 'coolingEnd-case')]);
    expect(jobs[0]?.data).toMatchObject({ at: later.at });
    expect(Math.abs((jobs[0]?.timestamp ?? 0) + (jobs[0]?.delay ?? 0) - Date.parse(later.at))).toBeLessThan(1_000);
    await h.rt.scheduler.cancel(bo, 'c1', 'coolingEnd-case');
    expect(await pendingJobs(h.rt)).toEqual([]);
  });

  it('through the engine: a cooling-off schedules its job; cancelling the case and forget leave no job', async () => {
    const h = harness();
    const cy = user('cy');
    const say = (line: string) => h.rt.engine.handle({ user: cy, inbound: parseTyped(line), hints: { locale: 'en', timeZone: 'Europe/Berlin' } });
    for (const line of ['start Acme', '1,8', 'skip', 'skip', '1', '2']) await say(line);
    for (const line of ['start Globex', '2', 'skip', 'skip', '1', '3']) await say(line);
    const state = await h.rt.store.loadUser(cy);
    expect(state?.openCases).toHaveLength(2);
    const ids = state?.openCases.map((id) => reminderJobId(cy, id, 'coolingEnd-case')) ?? [];
    expect((await pendingJobs(h.rt)).sort()).toEqual([...ids].sort());

    await say('cancel Acme');
    await say('yes');
    expect(await pendingJobs(h.rt)).toEqual([ids[1]]);

    await say('forget');
    await say('yes');
    expect(await pendingJobs(h.rt)).toEqual([]);
    expect(await h.rt.store.loadUser(cy)).toBeNull();
  });

  it('drops a reminder whose case ended, and follows a date moved later instead of sending', async () => {
    const h = harness();
    const di = user('di');
    // Started first: its start-up reconciliation would otherwise fix the queue before the jobs run.
    await h.start();
    const a = await seedCoolingCase(h.rt.store, di, 'c1', soon(500));
    const b = await seedCoolingCase(h.rt.store, di, 'c2', soon(500), ALWAYS_WORKING, 'Globex');
    await h.rt.scheduler.schedule(di, 'c1', a.reminder);
    await h.rt.scheduler.schedule(di, 'c2', b.reminder);
    // Change the cases behind the scheduler's back: only the worker's re-read can notice.
    const c1 = (await h.rt.store.loadCase(di, 'c1'))!;
    const c2 = (await h.rt.store.loadCase(di, 'c2'))!;
    const movedTo = soon(3_600_000).toISOString();
    const state = (await h.rt.store.loadUser(di))!;
    await h.rt.store.commit({
      user: state,
      expectedUserVersion: state.version,
      cases: [
        { case: { ...c1, stage: 'closed', outcome: 'kept', reminders: [], version: c1.version + 1 }, expectedVersion: c1.version },
        { case: { ...c2, reminders: [{ ...b.reminder, at: movedTo }], version: c2.version + 1 }, expectedVersion: c2.version },
      ],
    });
    await waitFor('both jobs handled', async () => (await h.rt.queue.getJobs(['wait', 'active'])).length === 0 && h.events.length >= 1);
    await settled(h);
    expect(h.notifier.sent).toEqual([]);
    expect(h.events.filter((e) => e.outcome === 'moot').map((e) => e.reason)).toEqual(['case closed']);
    const delayed = (await h.rt.queue.getJobs(['delayed'])).filter((j) => j.name === 'reminder');
    expect(delayed.map((j) => [j.id, j.data])).toEqual([[reminderJobId(di, 'c2', 'coolingEnd-case'), expect.objectContaining({ at: movedTo })]]);
  });

  it('DST-correct delivery times: 09:00 local in Berlin and New York on both sides of the change', async () => {
    const h = harness();
    const cases = [
      { zone: 'Europe/Berlin', due: '2027-03-26', want: '2027-03-26T08:00:00.000Z' }, // CET, +1
      { zone: 'Europe/Berlin', due: '2027-03-29', want: '2027-03-29T07:00:00.000Z' }, // CEST, +2
      { zone: 'America/New_York', due: '2027-03-12', want: '2027-03-12T14:00:00.000Z' }, // EST, -5
      { zone: 'America/New_York', due: '2027-03-15', want: '2027-03-15T13:00:00.000Z' }, // EDT, -4
    ];
    const eve = user('eve');
    for (const [i, t] of cases.entries()) {
      const settings: Settings = { ...DEFAULT_SETTINGS, workdays: [1, 2, 3, 4, 5], timeZone: t.zone, workdayStart: '09:00', workdayEnd: '18:00' };
      const c = makeCase(eve, `d${i}`, {
        stage: 'contract',
        step: 'invoices',
        contract: { invoices: [{ id: 'i1', amount: '1200', currency: 'EUR', dueDate: t.due, paid: false }], looseEnds: [] },
      });
      const [planned] = desiredReminders(c, settings);
      expect(planned?.at).toBe(t.want);
      await h.rt.scheduler.schedule(eve, c.id, planned!);
      const job = await h.rt.queue.getJob(reminderJobId(eve, c.id, planned!.id));
      expect(Math.abs((job?.timestamp ?? 0) + (job?.delay ?? 0) - Date.parse(t.want))).toBeLessThan(1_000);
    }
  });

  it('after downtime: overdue reminders come once, collected into one message marked late, within working hours', async () => {
    const h = harness();
    const fay = user('fay');
    const gus = user('gus');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const [id, client] of [['c1', 'Acme'], ['c2', 'Globex'], ['c3', 'Initech']] as const) {
      const s = await seedCoolingCase(h.rt.store, fay, id, twoHoursAgo, ALWAYS_WORKING, client);
      await h.rt.scheduler.schedule(fay, id, s.reminder);
    }
    // Gus's working day is half a day away: his overdue reminder waits for it.
    const g = await seedCoolingCase(h.rt.store, gus, 'c9', twoHoursAgo, hoursAwayFrom(new Date()));
    await h.rt.scheduler.schedule(gus, 'c9', g.reminder);

    await h.start();
    await waitFor('the collected message', () => h.notifier.sent.length >= 1);
    await settled(h);
    expect(h.notifier.sent).toHaveLength(1);
    const msg = h.notifier.sent[0]!;
    expect(msg.user.id).toBe('fay');
    const text = h.notifier.textOf(msg);
    expect(text).toMatch(/3 reminders came due/);
    for (const client of ['Acme', 'Globex', 'Initech']) expect(text).toContain(client);
    expect(text.match(/comes late/g)).toHaveLength(3);
    expect(msg.replies.filter((r) => r.kind === 'choices')).toHaveLength(3);

    const held = await h.rt.queue.getJob(reminderJobId(gus, 'c9', 'coolingEnd-case'));
    expect(await held?.getState()).toBe('delayed');
    expect(h.events.filter((e) => e.outcome === 'sent')).toEqual([expect.objectContaining({ count: 3, late: true })]);
  });

  it('429 with retry_after: delivered after the wait, exactly once, nothing lost', async () => {
    const h = harness();
    const hal = user('hal');
    const s = await seedCoolingCase(h.rt.store, hal, 'c1', soon(100));
    await h.rt.scheduler.schedule(hal, 'c1', s.reminder);
    const tries: number[] = [];
    h.notifier.failWith = (_m, attempt) => {
      tries.push(Date.now());
      if (attempt === 1) throw new DeliveryError('rateLimited', 'ratelimited', { retryAfterMs: 800, scope: 'channel', notSent: true });
    };
    await h.start();
    await waitFor('the reminder', () => h.notifier.sent.length === 1);
    expect(tries).toHaveLength(2);
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(750);
    await settled(h);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('a global 429 pauses the queue through BullMQ, then every reminder goes out once', async () => {
    const h = harness();
    const ids = ['u1', 'u2', 'u3'];
    for (const id of ids) {
      const s = await seedCoolingCase(h.rt.store, user(id), 'c1', soon(100));
      await h.rt.scheduler.schedule(user(id), 'c1', s.reminder);
    }
    let first = 0;
    h.notifier.failWith = (_m, attempt) => {
      if (attempt === 1) {
        first = Date.now();
        throw new DeliveryError('rateLimited', 'ratelimited', { retryAfterMs: 600, scope: 'global', notSent: true });
      }
    };
    await h.start();
    await waitFor('three reminders', () => h.notifier.sent.length === 3);
    await settled(h);
    expect(h.notifier.sent.map((m) => m.user.id).sort()).toEqual(ids);
    expect(first).toBeGreaterThan(0);
  });

  it('a permanent error is not retried and shows in status', async () => {
    const h = harness();
    const ike = user('ike');
    const s = await seedCoolingCase(h.rt.store, ike, 'c1', soon(100));
    await h.rt.scheduler.schedule(ike, 'c1', s.reminder);
    h.notifier.failWith = () => {
      throw new DeliveryError('permanent', 'user_not_found', { notSent: true });
    };
    await h.start();
    const job = () => h.rt.queue.getJob(reminderJobId(ike, 'c1', 'coolingEnd-case'));
    await waitFor('the job to fail', async () => (await (await job())?.getState()) === 'failed');
    await settled(h);
    expect(h.notifier.attempts).toHaveLength(1);
    expect((await h.rt.store.loadCase(ike, 'c1'))?.problems).toEqual([expect.objectContaining({ code: 'user_not_found', reminderId: 'coolingEnd-case' })]);
    const status = await h.rt.engine.handle({ user: ike, inbound: parseTyped('status Acme') });
    expect(status.replies.map((r) => ('text' in r ? r.text : '')).join('\n')).toMatch(/Could not reach you on .*\(user_not_found\)/);
  });

  it('the reconciler re-creates missing jobs and removes orphans, and says what it fixed', async () => {
    const h = harness();
    const jo = user('jo');
    await seedCoolingCase(h.rt.store, jo, 'c1', soon(600));
    await seedCoolingCase(h.rt.store, jo, 'c2', soon(600), ALWAYS_WORKING, 'Globex');
    // A job for a reminder no case plans (its case is gone).
    await h.rt.scheduler.schedule(jo, 'c404', { id: 'coolingEnd-case', kind: 'coolingEnd', subject: 'case', at: soon(600).toISOString() });
    const worker = await h.start();
    await waitFor('both reminders', () => h.notifier.sent.length === 2);
    await waitFor('the jobs to end', async () => (await pendingJobs(h.rt)).length === 0);
    const again = await worker.reconcile();
    expect(again).toMatchObject({ created: 0, retimed: 0, removed: 0, revived: 0 });
    expect(h.events.filter((e) => e.outcome === 'moot')).toEqual([]);
  });

  it('a job that failed after its message was decided is revived by the reconciler and sent once', async () => {
    const h = harness();
    const kim = user('kim');
    const s = await seedCoolingCase(h.rt.store, kim, 'c1', soon(100));
    // One attempt only, and a worker that cannot reach this platform: the job fails for good
    // after the engine has taken the reminder out of the plan.
    const data: ReminderJobData = { user: kim, caseId: 'c1', reminderId: s.reminder.id, kind: s.reminder.kind, subject: s.reminder.subject, at: s.reminder.at };
    await h.rt.queue.add(REMINDER_JOB, data, { jobId: reminderJobId(kim, 'c1', s.reminder.id), delay: 100, attempts: 1 });
    const blind = await h.start({ noNotifier: true });
    const job = () => h.rt.queue.getJob(reminderJobId(kim, 'c1', s.reminder.id));
    await waitFor('the job to fail', async () => (await (await job())?.getState()) === 'failed');
    expect((await h.rt.store.loadCase(kim, 'c1'))?.reminders).toEqual([]);
    await blind.close();

    const worker = await h.start();
    await waitFor('the revived reminder', () => h.notifier.sent.length === 1);
    expect(h.notifier.textOf(h.notifier.sent[0]!)).toContain('Acme Ltd');
    await settled(h);
    expect(h.notifier.sent).toHaveLength(1);
    expect(await worker.reconcile()).toMatchObject({ revived: 0 });
  });

  it('a platform limit (1 message per second per channel) spaces the sends, shared by all workers, losing none', async () => {
    const h = harness();
    // Three people whose DMs count against one budget, as a Slack channel would.
    h.notifier.sendBudget = { key: 'slack.T1.C1', points: 1, perSeconds: 1 };
    for (const id of ['p1', 'p2', 'p3']) {
      const s = await seedCoolingCase(h.rt.store, user(id), 'c1', soon(200));
      await h.rt.scheduler.schedule(user(id), 'c1', s.reminder);
    }
    const times: number[] = [];
    h.notifier.failWith = () => void times.push(Date.now());
    await Promise.all([h.start(), h.start()]);
    await waitFor('three reminders', () => h.notifier.sent.length === 3, 15_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    expect(h.notifier.sent.map((m) => m.user.id).sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('a reminder waiting out a transient failure is neither removed by the reconciler nor replaced by a new date', async () => {
    const h = harness();
    const lu = user('lu');
    const s = await seedCoolingCase(h.rt.store, lu, 'c1', soon(100));
    await h.rt.scheduler.schedule(lu, 'c1', s.reminder);
    // The first send fails in a way that may or may not have reached the platform.
    h.notifier.failWith = (_m, attempt) => {
      if (attempt === 1) throw new DeliveryError('transient', 'http_503');
    };
    const worker = await h.start();
    const jobId = reminderJobId(lu, 'c1', s.reminder.id);
    await waitFor('the first attempt', () => h.notifier.attempts.length === 1);
    await waitFor('the backoff', async () => (await (await h.rt.queue.getJob(jobId))?.getState()) === 'delayed');
    // The reminder left the plan when its message was decided: the job is all that will send it.
    expect((await h.rt.store.loadCase(lu, 'c1'))?.reminders).toEqual([]);
    expect(await worker.reconcile()).toMatchObject({ removed: 0 });
    await h.rt.scheduler.schedule(lu, 'c1', { ...s.reminder, at: soon(3_600_000).toISOString() });
    expect(await (await h.rt.queue.getJob(jobId))?.getState()).toBe('delayed');
    // Backoff is 5 s: then it goes out, once.
    await waitFor('the retry', () => h.notifier.sent.length === 1, 15_000);
    await settled(h);
    expect(h.notifier.sent).toHaveLength(1);
  });
});
