/** The languages the bot speaks: the four of the source articles, plus English. */
export const LOCALES = ['en', 'de', 'fr', 'tr', 'vi'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** Picks our locale from a platform or POSIX locale tag ("de-AT", "fr_FR.UTF-8", "vi"). */
export function localeFromTag(tag: string | undefined, fallback: Locale = 'en'): Locale {
  if (!tag) return fallback;
  const base = tag.toLowerCase().split(/[-_.@]/)[0] ?? '';
  return isLocale(base) ? base : fallback;
}

/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface Settings {
  locale: Locale;
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Start of the working day, "HH:mm" in timeZone. */
  workdayStart: string;
  /** End of the working day, "HH:mm" in timeZone; reminders never arrive after it. */
  workdayEnd: string;
  workdays: IsoWeekday[];
  /** False until the user (or a platform that knows it) has confirmed the zone. */
  timeZoneConfirmed: boolean;
}

export const DEFAULT_SETTINGS = Object.freeze({
  locale: 'en',
  timeZone: 'UTC',
  workdayStart: '09:00',
  workdayEnd: '18:00',
  workdays: [1, 2, 3, 4, 5],
  timeZoneConfirmed: false,
} as const satisfies Settings);

export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, workdays: [...DEFAULT_SETTINGS.workdays], ...overrides };
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses "9", "9:30", "09:30", "9h", "9.30", "8:30am", "2pm" into "HH:mm"; null otherwise. */
export function parseClock(text: string): string | null {
  const m = /^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(h|uhr|am|pm|a\.m\.|p\.m\.)?\s*$/i.exec(text);
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  const half = (m[3] ?? '').toLowerCase().replace(/\./g, '');
  if (half === 'am' || half === 'pm') {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
