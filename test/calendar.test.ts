import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BANK_HOLIDAYS, BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR } from "../src/calendar/bank-holidays";
import { isBankHoliday, isWithinOfficeHours, localParts } from "../src/calendar/office-hours";
import { bankHolidayTable } from "../scripts/bank-holiday-source";

const weekdays = { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" };

describe("the bank holiday table", () => {
  it("is what date-holidays says today (regenerate with npm run gen:holidays)", () => {
    expect(BANK_HOLIDAYS.map(([d, n]) => [d, n])).toEqual(bankHolidayTable(BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR));
    expect(readFileSync(new URL("../src/calendar/bank-holidays.ts", import.meta.url), "utf8")).toMatch(/Do not edit/);
  });

  it("has the one-off and substitute days", () => {
    for (const d of ["2022-09-19", "2023-05-08", "2026-12-28", "2026-04-03", "2026-08-31"]) expect(isBankHoliday(d), d).toBe(true);
    expect(isBankHoliday("2026-11-23")).toBe(false);
  });
});

describe("office hours in Europe/London", () => {
  it.each([
    ["a Monday morning in winter (GMT)", "2026-11-23T09:00:00Z", true],
    ["a Monday at 08:44 London", "2026-11-23T08:44:00Z", false],
    ["a Monday at 17:15 London (closed)", "2026-11-23T17:15:00Z", false],
    ["2am on a weekday", "2026-11-24T02:00:00Z", false],
    ["a Saturday", "2026-11-28T12:00:00Z", false],
    ["in summer, 08:50 London is 07:50 UTC (BST)", "2026-07-06T07:50:00Z", true],
    ["in summer, 16:30 UTC is 17:30 London (closed)", "2026-07-06T16:30:00Z", false],
    ["Good Friday 2026", "2026-04-03T11:00:00Z", false],
    ["Boxing Day substitute 2026", "2026-12-28T11:00:00Z", false],
  ])("%s", (_w, iso, open) => {
    expect(isWithinOfficeHours(weekdays, new Date(iso))).toBe(open);
  });

  it("gives London's calendar date across midnight in summer", () => {
    expect(localParts(new Date("2026-07-06T23:30:00Z"), "Europe/London")).toEqual({ date: "2026-07-07", weekday: 2, time: "00:30" });
  });
});
