import { randomUUID } from 'node:crypto';
import { ConsoleClock } from './clock.js';
import { openQuestion } from './open-question.js';
import { runConsole } from './run-console.js';
import { waitCommand } from './wait-command.js';
import type { Config } from '../../src/config.js';
import { Engine } from '../../src/engine/engine.js';
import { t } from '../../src/i18n/translate.js';
import type { UserRef } from '../../src/model/user.js';
import { EmbeddedDataBusy, EmbeddedDb } from '../../src/store/embedded-db.js';
import { EMBEDDED_DATA_DIR } from '../../src/store/embedded-paths.js';
import { EmbeddedInbox } from '../../src/store/embedded-inbox.js';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { keys as makeKeys } from '../../src/store/keys.js';
import { EmbeddedReminders } from './embedded-reminders.js';
import { EmbeddedTimeTravel } from './embedded-time-travel.js';
import { systemZone } from '../../src/time/zone-names.js';
import '../../ops/packet-fonts.js';

export const EMBEDDED_NOTICE = `no Redis found: keeping your cases in ./${EMBEDDED_DATA_DIR} — for Slack, Discord or several processes you need Redis`;

const MARK_TTL_SECONDS = 90 * 24 * 3600;

/**
 * The console with no Redis: store, inbox, reminders and the "console open" mark all in one
 * SQLite file, for this one process. A second process is refused by the file's lock.
 */
export async function startEmbeddedConsole(config: Config, say: (line: string) => void, fail: (line: string) => never): Promise<void> {
  let db: EmbeddedDb;
  const clock = new ConsoleClock(config.console.now);
  try {
    db = new EmbeddedDb(EMBEDDED_DATA_DIR);
  } catch (err) {
    if (err instanceof EmbeddedDataBusy) fail(`offboard: another console is already using ./${EMBEDDED_DATA_DIR}; close it first, or run Redis to use several at once.`);
    throw err;
  }
  say(EMBEDDED_NOTICE);
  const keys = makeKeys(config.keyPrefix);
  const store = new EmbeddedStore(db, config.keyPrefix);
  const me: UserRef = { platform: 'console', tenant: '', id: config.console.user };
  const inbox = new EmbeddedInbox(db, keys);
  const reminders = new EmbeddedReminders({ db, store, keys, inbox, user: me, clock: clock.now });
  const engine = new Engine({ store, effects: reminders, clock: clock.now });
  reminders.attach(engine);
  // "A console is open": found at start, the last one died with maybe a question open.
  const markKey = `${keys.prefix}:${keys.tag(me)}:console-open`;
  const markId = randomUUID();
  const crashed = db.atomically(() => {
    const before = db.get(markKey);
    db.set(markKey, markId, MARK_TTL_SECONDS);
    return before !== null;
  });
  // What came due while the console was closed goes to the inbox, shown as the session opens.
  await reminders.deliverDue();
  const hints = { locale: config.console.locale, timeZone: systemZone(), timeZoneGuessed: true };
  const banner = process.stdout.isTTY ? `offboard — ${t(config.console.locale, 'console.banner')}` : undefined;
  try {
    await runConsole({
      engine,
      user: config.console.user,
      hints,
      wait: waitCommand({ store, clock, user: me, hints, travel: (show) => new EmbeddedTimeTravel({ reminders, clock, show }) }),
      inbox,
      filesDir: config.console.filesDir,
      ...(crashed ? { resume: () => openQuestion(store, me, clock.now()) } : {}),
      ...(banner ? { banner } : {}),
    });
  } finally {
    reminders.close();
    if (db.get(markKey) === markId) db.del(markKey);
    await store.close();
  }
}
