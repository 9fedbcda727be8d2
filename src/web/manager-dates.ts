import { isCalendarDate } from "../lib/dates";

/** What was typed into a GOV.UK date input's three boxes, kept so that the form can show it back. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DateResult = { ok: true; value: string | null } | { ok: false; error: string };

/** Reads the boxes `${id}-day`, `${id}-month` and `${id}-year` through `get` (a posted form or a query string). */
export function datePartsOf(get: (name: string) => string | null | undefined, id: string): DateParts {
  const v = (part: string) => (get(`${id}-${part}`) ?? "").trim();
  return { day: v("day"), month: v("month"), year: v("year") };
}

/**
 * The boxes as YYYY-MM-DD, with GOV.UK's error wording (the label starts the message, as the
 * design system asks). All three blank is no date, which the caller may allow.
 */
export function parseDateParts(p: DateParts, label: string): DateResult {
  const given = { day: p.day, month: p.month, year: p.year };
  const missing = Object.entries(given)
    .filter(([, v]) => v === "")
    .map(([k]) => k);
  if (missing.length === 3) return { ok: true, value: null };
  if (missing.length) return { ok: false, error: `${label} must include a ${missing.join(" and a ")}` };
  if (!/^\d{1,2}$/.test(p.day) || !/^\d{1,2}$/.test(p.month) || !/^\d{4}$/.test(p.year))
    return { ok: false, error: `${label} must be a real date` };
  const iso = `${p.year}-${p.month.padStart(2, "0")}-${p.day.padStart(2, "0")}`;
  return isCalendarDate(iso) ? { ok: true, value: iso } : { ok: false, error: `${label} must be a real date` };
}

/** YYYY-MM-DD back into the boxes, for a form filled with a default or a date from a link. */
export const partsOfIso = (iso: string): DateParts => {
  const [year = "", month = "", day = ""] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year };
};
