import type { MessageKey, Params } from '../../src/i18n/types.js';
import { formatInstant } from '../../src/i18n/format.js';
import type { ProfileHints } from '../../src/engine/new-records.js';
import { defaultSettings } from '../../src/model/settings.js';
import type { UserRef } from '../../src/model/user.js';
import type { Store } from '../../src/store/store.js';
import { todayIn } from '../../src/time/calendar.js';
import { dateExamples } from '../../src/time/parse-date.js';
import type { ConsoleClock } from './clock.js';
import type { TimeTravel, TimeTravelOff } from './time-travel.js';
import { MAX_WAIT_DAYS, readWait } from './wait-input.js';

/** A line the console says in the user's language. */
export interface Said {
  key: MessageKey;
  params: Params;
}

/** The console's `wait …`: reads it in the user's zone and language, travels, says where it is now. */
export type WaitCommand = (arg: string, show: () => Promise<void>) => Promise<Said>;

/** Matches a typed `wait`, `wait 3 days`, `wait until …`; the rest of the line is its argument. */
export function waitArgument(line: string): string | null {
  const m = /^wait(?:\s+([\s\S]*))?$/i.exec(line.trim());
  return m ? (m[1] ?? '').trim() : null;
}

export function waitCommand(deps: {
  store: Store;
  clock: ConsoleClock;
  user: UserRef;
  hints: ProfileHints;
  /** Built for `show`; null with the reason it is off. */
  travel: ((show: () => Promise<void>) => Pick<TimeTravel, 'wait'>) | { off: TimeTravelOff; url: string };
}): WaitCommand {
  return async (arg, show): Promise<Said> => {
    const state = await deps.store.loadUser(deps.user);
    // Before the first turn there is no profile yet: the console's guesses stand in.
    const s = state?.settings ?? defaultSettings({ ...(deps.hints.locale ? { locale: deps.hints.locale } : {}), ...(deps.hints.timeZone ? { timeZone: deps.hints.timeZone } : {}) });
    const when = (d: Date): string => formatInstant(s.locale, d.toISOString(), s.timeZone);
    const now = deps.clock.now();
    const example = dateExamples(s.locale, todayIn(s.timeZone, now))[0] ?? '';
    if (typeof deps.travel !== 'function') {
      if (deps.travel.off === 'noWorker') return { key: 'console.wait.off.noWorker', params: {} };
      return { key: 'console.wait.off.sharedRedis', params: { url: deps.travel.url } };
    }
    const target = readWait(arg, { locale: s.locale, timeZone: s.timeZone, now, workdayStart: s.workdayStart });
    if (target.kind === 'bad') return { key: 'console.wait.bad', params: { example } };
    if (target.kind === 'tooFar') return { key: 'console.wait.tooFar', params: { days: MAX_WAIT_DAYS } };
    if (target.kind === 'past') return { key: 'console.wait.past', params: { when: when(target.at) } };
    const result = await deps.travel(show).wait(target.kind === 'at' ? target.at : undefined);
    if (result.kind === 'nothingPlanned') return { key: 'console.wait.nothing', params: { when: when(result.now), example } };
    if (result.kind === 'stuck') return { key: 'console.wait.stuck', params: { when: when(result.now) } };
    return { key: 'console.wait.moved', params: { when: when(result.now) } };
  };
}
