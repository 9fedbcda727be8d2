/**
 * Working days in England and Wales (api.md, "Moves and deadlines"): Monday to Friday, not a
 * bank holiday, and not one of the authority's own closure days. Every deadline in the service
 * is counted here. Dates are calendar dates (`YYYY-MM-DD`): no time of day, so no clock change
 * can move a deadline.
 */
import { isBankHoliday } from "./office-hours";

const DAY_MS = 86_400_000;

const toUtc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** ISO weekday of a calendar date: 1 = Monday ... 7 = Sunday. */
export const isoWeekday = (date: string) => ((new Date(toUtc(date)).getUTCDay() + 6) % 7) + 1;

export const addDays = (date: string, days: number) => fromUtc(toUtc(date) + days * DAY_MS);

export function isWorkingDay(date: string, closures: ReadonlySet<string> = NONE): boolean {
  return isoWeekday(date) <= 5 && !isBankHoliday(date) && !closures.has(date);
}

/**
 * The N-th working day after `date` ("within 15 working days of the move" falls on it). The
 * day itself does not count, whether or not it is a working day.
 */
export function addWorkingDays(date: string, n: number, closures: ReadonlySet<string> = NONE): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a whole number of days, 0 or more");
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, closures)) left--;
  }
  return d;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string, closures: ReadonlySet<string> = NONE): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, closures)) n++;
  return n;
}

const NONE: ReadonlySet<string> = new Set();
