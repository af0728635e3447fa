import { addDays, weekdayOf } from './calendar.js';

// Weekdays named in Turkish and Vietnamese, which chrono does not read (Turkish not at all,
// Vietnamese not with "tuần sau" or as a number: "thứ 5"). Folded forms: lower case, no marks.
// ISO numbering: 1 = Monday … 7 = Sunday.
const DAYS: ReadonlyMap<string, number> = new Map([
  ['pazartesi', 1], ['sali', 2], ['carsamba', 3], ['persembe', 4], ['cuma', 5], ['cumartesi', 6], ['pazar', 7],
  ['thu hai', 1], ['thu ba', 2], ['thu tu', 3], ['thu nam', 4], ['thu sau', 5], ['thu bay', 6], ['chu nhat', 7],
  ['thu 2', 1], ['thu 3', 2], ['thu 4', 3], ['thu 5', 4], ['thu 6', 5], ['thu 7', 6], ['cn', 7],
  ['t2', 1], ['t3', 2], ['t4', 3], ['t5', 4], ['t6', 5], ['t7', 6],
]);

// "haftaya perşembe", "gelecek hafta perşembe", "thứ Năm tuần sau": that day in the week after this one.
const NEXT_WEEK_BEFORE = /^(?:haftaya|gelecek hafta(?:ya)?|onumuzdeki hafta)\s+(.+)$/;
const NEXT_WEEK_AFTER = /^(.+?)\s+(?:tuan sau|tuan toi)$/;
// "bu perşembe", "thứ Năm này", "thứ Năm tuần này": the coming one. "gelecek/önümüzdeki salı"
// said on a Monday is tomorrow to some and next week to others: not guessed.
const COMING_BEFORE = /^bu\s+(.+)$/;
const COMING_AFTER = /^(.+?)\s+(?:nay|tuan nay)$/;

/**
 * The date a folded weekday phrase names, or null. A bare weekday is the coming one (today
 * counts, as for the other languages); "next week" moves it into the week after this one,
 * Monday to Sunday, as both languages count weeks.
 */
export function weekdayDate(phrase: string, today: string): string | null {
  const nextWeek = NEXT_WEEK_BEFORE.exec(phrase)?.[1] ?? NEXT_WEEK_AFTER.exec(phrase)?.[1];
  if (nextWeek !== undefined) {
    const day = DAYS.get(nextWeek);
    if (day === undefined) return null;
    const nextMonday = addDays(today, 8 - weekdayOf(today));
    return addDays(nextMonday, day - 1);
  }
  const coming = COMING_BEFORE.exec(phrase)?.[1] ?? COMING_AFTER.exec(phrase)?.[1] ?? phrase;
  const day = DAYS.get(coming);
  if (day === undefined) return null;
  return addDays(today, (day - weekdayOf(today) + 7) % 7);
}
