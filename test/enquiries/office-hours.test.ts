import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "../support/enquiry";

/** Whether an enquiry came in out of hours (for the Emergency Duty Team), as the enquirer's receipt says. */
let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-10-23T07:50:00Z" });
  s = await setupAuthority(t, "HOURS");
  await t.call("PUT", "/v1/authorities/HOURS/closure-days/2026-10-27", { token: s.tokens.dm, body: { reason: "Staff training day" } });
});
afterAll(() => t.close());

const ask = async (iso: string, n: number) => {
  t.clock.set(iso);
  return enquire(
    t,
    s.tokens.head,
    enquiryBody(
      "HOURS",
      { givenNames: `Pupil${n}`, familyName: "Unknown", dateOfBirth: "2015-01-01" },
      { callbackNumber: "020 7946 0300" },
    ),
  );
};

describe("office hours, Europe/London, through the API", () => {
  it("follows the clock change: 07:50 UTC is in hours under BST and out of hours under GMT", async () => {
    expect((await ask("2026-10-23T07:50:00Z", 1)).outOfHours).toBe(false);
    expect((await ask("2026-10-26T07:50:00Z", 2)).outOfHours).toBe(true);
    expect((await ask("2026-10-26T17:00:00Z", 3)).outOfHours).toBe(false);
  });

  it("treats the authority's closure day and a bank holiday as out of hours", async () => {
    expect((await ask("2026-10-27T11:00:00Z", 4)).outOfHours).toBe(true);
    expect((await ask("2026-10-28T11:00:00Z", 5)).outOfHours).toBe(false);
    expect((await ask("2026-12-28T11:00:00Z", 6)).outOfHours).toBe(true);
  });
});
