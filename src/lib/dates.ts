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
