import type { APIApplicationCommandOptionChoice } from 'discord.js';
import { isValidTimeZone } from '../../src/model/settings.js';
import { CITY_ZONES } from '../../src/time/city-zones.js';
import { fit, LIMITS } from './limits.js';

const fold = (s: string) =>
  s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').replace(/ı/g, 'i').toLowerCase().replace(/[\s_/-]+/g, ' ').trim();

// Shown before anything is typed: the seeds' countries first, then a few big zones.
const FIRST = ['Europe/Berlin', 'Europe/Paris', 'Europe/Istanbul', 'Asia/Ho_Chi_Minh', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'UTC'];

let all: { zone: string; folded: string; words: string[] }[] | null = null;
function zones() {
  // ICU's list lacks "UTC" and names a few zones by older aliases; both are still valid zones.
  all ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].map((zone) => {
    const folded = fold(zone);
    return { zone, folded, words: folded.split(' ') };
  });
  return all;
}

const choice = (name: string, zone: string): APIApplicationCommandOptionChoice<string> => ({ name: fit(name, LIMITS.autocompleteName), value: zone });

/**
 * Up to 25 IANA zones for what has been typed so far: zones whose region or city starts with
 * it, then cities known by another name ("Saigon", "München"), then zones that contain it.
 */
export function suggestZones(typed: string): APIApplicationCommandOptionChoice<string>[] {
  const q = fold(typed);
  if (!q) return FIRST.filter(isValidTimeZone).map((z) => choice(z.replace(/_/g, ' '), z));
  const seen = new Set<string>();
  const out: APIApplicationCommandOptionChoice<string>[] = [];
  const add = (name: string, zone: string) => {
    if (seen.has(zone) || out.length >= LIMITS.autocompleteChoices) return;
    seen.add(zone);
    out.push(choice(name, zone));
  };
  const list = zones();
  // "new y" finds America/New_York: the typed words may start at any part of the name.
  for (const z of list) if (z.words.some((_, i) => z.words.slice(i).join(' ').startsWith(q))) add(z.zone.replace(/_/g, ' '), z.zone);
  for (const [city, zone] of Object.entries(CITY_ZONES)) if (city.startsWith(q)) add(`${city} — ${zone.replace(/_/g, ' ')}`, zone);
  for (const z of list) if (z.folded.includes(q)) add(z.zone.replace(/_/g, ' '), z.zone);
  return out;
}
