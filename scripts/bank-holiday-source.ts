import Holidays from "date-holidays";

/** England and Wales public holidays as [date, name], by the calendar date (not `start`, which is UTC). */
export function bankHolidayTable(first: number, last: number): [string, string][] {
  const hd = new Holidays("GB", "ENG");
  const rows: [string, string][] = [];
  for (let y = first; y <= last; y++) for (const h of hd.getHolidays(y)) if (h.type === "public") rows.push([h.date.slice(0, 10), h.name]);
  return rows;
}
