import type { OfficeHours } from "../db/schema";
import { BANK_HOLIDAYS } from "./bank-holidays";

/**
 * Days announced at short notice (a state funeral, a coronation) that the generated table
 * may not have yet: add them here until the holidays data catches up.
 */
export const EXTRA_BANK_HOLIDAYS: readonly string[] = [];

const HOLIDAYS = new Set<string>([...BANK_HOLIDAYS.map(([d]) => d), ...EXTRA_BANK_HOLIDAYS]);

export const isBankHoliday = (date: string) => HOLIDAYS.has(date);

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date, ISO weekday and wall-clock time of an instant in a time zone (DST-correct). */
export function localParts(instant: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAY[p.weekday!]!, time: `${p.hour}:${p.minute}` };
}

/**
 * Whether an instant falls within an authority's office hours; outside them the Emergency
 * Duty Team answers (seed 004 §57). England and Wales bank holidays, and the authority's own
 * closure days, are outside office hours.
 */
export function isWithinOfficeHours(hours: OfficeHours, instant: Date, closures: ReadonlySet<string> = new Set()): boolean {
  const { date, weekday, time } = localParts(instant, hours.timezone);
  return hours.days.includes(weekday) && !isBankHoliday(date) && !closures.has(date) && time >= hours.open && time < hours.close;
}
