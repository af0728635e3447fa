import { LOCALES, isValidTimeZone, parseClock, type IsoWeekday, type Settings } from '../model/settings.js';
import type { Reply } from '../model/reply.js';
import type { SettingsField, UserState } from '../model/user.js';
import { languageOptions } from '../flow/letter.js';
import { CITY_ZONES } from '../time/city-zones.js';
import { choices, input, text } from './replies.js';
import type { Answer, Ctx } from './types.js';
import { severalHint } from './numbering.js';
import { currentZoneName } from '../time/zone-names.js';

const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
const EARLIEST_START = '05:00';
const LATEST_START = '14:00';

/** Settings questions carry no case id; their ids are these. */
export const SETTINGS_QUESTIONS: Readonly<Record<string, SettingsField>> = {
  settings: 'menu',
  lang: 'language',
  tz: 'timeZone',
  wstart: 'workdayStart',
  wdays: 'workdays',
};

const QUESTION_OF: Readonly<Record<SettingsField, string>> = { menu: 'settings', language: 'lang', timeZone: 'tz', workdayStart: 'wstart', workdays: 'wdays' };

let zoneList: string[] | null = null;
function zones(): string[] {
  zoneList ??= Intl.supportedValuesOf('timeZone');
  return zoneList;
}

const REGIONS = ['Europe', 'America', 'Asia', 'Africa', 'Australia', 'Pacific', 'Atlantic', 'Indian'];

const foldCity = (s: string) =>
  s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').replace(/ı/g, 'i').toLowerCase().replace(/[\s_-]+/g, ' ').trim();

/**
 * "europe/berlin", "Berlin", "Ho Chi Minh", "München", "UTC" → the IANA zone, when it names
 * exactly one, by its current name ("kiev" → Europe/Kyiv).
 */
export function resolveZone(raw: string): string | null {
  const zone = findZone(raw);
  return zone === null ? null : currentZoneName(zone);
}

function findZone(raw: string): string | null {
  const typed = raw.trim().replace(/\s+/g, '_');
  if (!typed || typed.length > 64) return null;
  const exact = zones().find((z) => z.toLowerCase() === typed.toLowerCase());
  if (exact) return exact;
  if (typed.includes('/') && isValidTimeZone(typed)) return typed;
  const alias = CITY_ZONES[foldCity(raw)];
  if (alias) return alias;
  // ICU lists some zones under old names (Asia/Saigon): try the city under each region too.
  const city = foldCity(raw).split(' ').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('_');
  const byRegion = REGIONS.map((r) => `${r}/${city}`).filter(isValidTimeZone);
  if (byRegion.length === 1) return byRegion[0] ?? null;
  const byCity = zones().filter((z) => foldCity(z.split('/').at(-1) ?? '') === foldCity(raw));
  return byCity.length === 1 ? (byCity[0] ?? null) : null;
}

function weekdayName(x: Ctx, d: IsoWeekday): string {
  // 2024-01-01 was a Monday: offset from it gives the weekday's name in the user's language.
  return new Intl.DateTimeFormat(x.locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)));
}

export function settingsSummary(s: Settings, x: Ctx): string {
  return x.say('settings.summary', {
    language: languageOptions(s.locale).find((o) => o.value === s.locale)?.label ?? s.locale,
    zone: currentZoneName(s.timeZone),
    start: s.workdayStart,
    days: s.workdays.map((d) => weekdayName(x, d)).join(', '),
  });
}

export function askSettings(field: SettingsField, s: Settings, x: Ctx): Reply[] {
  const q = QUESTION_OF[field];
  switch (field) {
    case 'menu':
      return [
        text(settingsSummary(s, x)),
        choices(null, q, x.say('settings.which'), [
          { value: 'language', label: x.say('settings.language') },
          { value: 'timeZone', label: x.say('settings.timeZone') },
          { value: 'workdayStart', label: x.say('settings.workdayStart') },
          { value: 'workdays', label: x.say('settings.workdays') },
          { value: 'done', label: x.say('settings.done'), style: 'primary' },
        ]),
      ];
    case 'language':
      return [choices(null, q, x.say('settings.language.ask'), languageOptions(s.locale))];
    case 'timeZone':
      return [input(null, q, x.say('settings.timeZone.ask', { zone: currentZoneName(s.timeZone) }), 'text', x.say('accepts.zone'))];
    case 'workdayStart':
      return [input(null, q, x.say('settings.workdayStart.ask', { time: s.workdayStart }), 'text', x.say('accepts.clock'))];
    case 'workdays':
      return [
        {
          kind: 'multi',
          ref: { question: q },
          text: x.say('settings.workdays.ask'),
          options: WEEKDAYS.map((d) => ({ value: String(d), label: weekdayName(x, d) })),
          selected: s.workdays.map(String),
          submitLabel: x.say('common.save'),
          typedHint: severalHint(x, WEEKDAYS.length),
        },
      ];
  }
}

export type SettingsResult =
  | { kind: 'ask'; field: SettingsField; replies: Reply[] }
  | { kind: 'changed'; settings: Settings; replies: Reply[] }
  | { kind: 'done'; replies: Reply[] };

/** Applies one answer to a settings question. */
export function answerSettings(field: SettingsField, a: Answer, user: UserState, x: Ctx): SettingsResult {
  const s = user.settings;
  const value = a.kind === 'choice' ? a.value : a.kind === 'text' ? a.text.trim() : '';
  const again = (message: string): SettingsResult => ({ kind: 'ask', field, replies: [text(message, 'error'), ...askSettings(field, s, x)] });
  switch (field) {
    case 'menu': {
      if (value === 'done' || value === '') return { kind: 'done', replies: [text(x.say('settings.saved'), 'success')] };
      const next = (['language', 'timeZone', 'workdayStart', 'workdays'] as const).find((f) => f === value);
      if (!next) return again(x.say('common.pickOne'));
      return { kind: 'ask', field: next, replies: askSettings(next, s, x) };
    }
    case 'language': {
      const locale = LOCALES.find((l) => l === value);
      if (!locale) return again(x.say('common.pickOne'));
      return { kind: 'changed', settings: { ...s, locale }, replies: [] };
    }
    case 'timeZone': {
      const zone = resolveZone(value);
      if (!zone) return again(x.say('settings.timeZone.bad', { input: value.slice(0, 40) }));
      return { kind: 'changed', settings: { ...s, timeZone: zone, timeZoneConfirmed: true }, replies: [] };
    }
    case 'workdayStart': {
      const clock = parseClock(value);
      // 03:00 is almost always a typo ("3" for a menu item); reminders at night are what we avoid.
      if (!clock || clock < EARLIEST_START || clock > LATEST_START || clock >= s.workdayEnd) {
        return again(x.say('settings.workdayStart.bad', { end: s.workdayEnd }));
      }
      return { kind: 'changed', settings: { ...s, workdayStart: clock }, replies: [] };
    }
    case 'workdays': {
      const values = a.kind === 'multi' ? a.values : value.split(/[,\s]+/);
      const days = WEEKDAYS.filter((d) => values.includes(String(d)));
      if (days.length === 0) return again(x.say('settings.workdays.bad'));
      return { kind: 'changed', settings: { ...s, workdays: days }, replies: [] };
    }
  }
}
