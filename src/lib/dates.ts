import { z } from "@hono/zod-openapi";

/** A real calendar date, `YYYY-MM-DD` (2023-02-29 is refused). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine(isCalendarDate, "is not a real calendar date")
  .openapi({ example: "2015-03-02", format: "date", maxLength: 10 });

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Today's calendar date in England, which is what "today" means for a child's record. */
// Building a formatter loads the zone's rules: far dearer than formatting, so build it once.
const LONDON_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

export function londonToday(now: Date): string {
  return LONDON_DATE.format(now);
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** A pregnancy runs about 40 weeks; 44 allows for an early booking and a late delivery. */
export const MAX_WEEKS_TO_DELIVERY = 44;
/** Past this the baby has been born (induction comes by 42 weeks): ask about the child instead. */
export const MAX_WEEKS_OVERDUE = 6;

/**
 * Why an expected date of delivery cannot be one, or null. A register record may keep an old
 * expected date (its history), so `allowPast` is for records; an enquiry about an unborn child
 * is about a pregnancy now.
 */
export function implausibleDelivery(expected: string, today: string, allowPast = false): string | null {
  const ahead = daysBetween(today, expected);
  if (ahead > MAX_WEEKS_TO_DELIVERY * 7) return `is more than ${MAX_WEEKS_TO_DELIVERY} weeks away: not a pregnancy now`;
  if (!allowPast && -ahead > MAX_WEEKS_OVERDUE * 7)
    return `is more than ${MAX_WEEKS_OVERDUE} weeks past: the child has been born, so ask about the child`;
  return null;
}
