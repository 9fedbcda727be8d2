import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bankHolidayTable } from "../scripts/bank-holiday-source";
import { BANK_HOLIDAYS, BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR } from "../src/calendar/bank-holidays";
import { isBankHoliday, isWithinOfficeHours, localParts } from "../src/calendar/office-hours";
import { addWorkingDays, isWorkingDay, workingDaysBetween } from "../src/calendar/working-days";

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

describe("working days in England and Wales", () => {
  it.each([
    ["over Christmas 2026 (Friday 25th, Boxing Day substitute Monday 28th)", "2026-12-22", 3, "2026-12-29"],
    ["over New Year's Day 2027 (a Friday)", "2026-12-31", 1, "2027-01-04"],
    ["over Easter 2027 (Good Friday 26 March, Easter Monday 29 March)", "2027-03-25", 1, "2027-03-30"],
    ["over the spring bank holiday Monday (31 May 2027)", "2027-05-28", 1, "2027-06-01"],
    ["from a Saturday: the next Monday is the first", "2026-11-28", 1, "2026-11-30"],
    ["zero days is the day itself", "2026-11-28", 0, "2026-11-28"],
    ["15 from a Monday in an ordinary fortnight", "2026-11-02", 15, "2026-11-23"],
  ])("%s", (_w, from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it("counts an authority's own closure day out", () => {
    expect(addWorkingDays("2026-12-22", 3, new Set(["2026-12-29"]))).toBe("2026-12-30");
    expect(isWorkingDay("2026-12-29", new Set(["2026-12-29"]))).toBe(false);
    expect(workingDaysBetween("2026-12-22", "2026-12-30")).toBe(4);
    expect(workingDaysBetween("2026-12-22", "2026-12-30", new Set(["2026-12-29"]))).toBe(3);
  });

  it("refuses a negative or fractional number of days", () => {
    expect(() => addWorkingDays("2026-12-22", -1)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-12-22", 1.5)).toThrow(RangeError);
  });
});

describe("office hours across the clock change (clocks go back at 02:00 BST on Sunday 25 October 2026)", () => {
  it.each([
    ["Friday before, 08:50 BST is 07:50 UTC", "2026-10-23T07:50:00Z", true],
    ["Friday before, 16:30 UTC is 17:30 BST (closed)", "2026-10-23T16:30:00Z", false],
    ["Monday after, 07:50 UTC is 07:50 GMT (not open yet)", "2026-10-26T07:50:00Z", false],
    ["Monday after, 08:50 UTC is 08:50 GMT", "2026-10-26T08:50:00Z", true],
    ["Monday after, 17:00 UTC is 17:00 GMT (still open)", "2026-10-26T17:00:00Z", true],
  ])("%s", (_w, iso, open) => {
    expect(isWithinOfficeHours(weekdays, new Date(iso))).toBe(open);
  });

  it("treats a closure day as outside office hours", () => {
    expect(isWithinOfficeHours(weekdays, new Date("2026-10-26T10:00:00Z"), new Set(["2026-10-26"]))).toBe(false);
  });
});
