import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "./support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "./support/enquiry";
import { createChild } from "./support/fixtures";
import { signInDev, textOf } from "./support/web";

/**
 * The Pan Dorset note: out of hours, the out-of-hours service acts as the designated manager.
 * A duty officer reads the open considerations and alerts of those of their authorities whose
 * offices are closed (hours and closure days); in office hours they are the manager's.
 */
let t: TestApp;
beforeAll(async () => {
  // Tuesday 24 November 2026, 10:00 in London (GMT): office hours.
  t = await createTestApp({ now: "2026-11-24T10:00:00Z" });
});
afterAll(() => t.close());

/** An authority with one open consideration (two enquiries about a child not known) and one key-worker alert. */
async function authorityWithWork(code: string): Promise<Setup> {
  const s = await setupAuthority(t, code);
  const unknown = { givenNames: "Nell", familyName: "Quarry", dateOfBirth: "2017-07-07" };
  await enquire(t, s.tokens.sergeant, enquiryBody(code, unknown));
  await enquire(t, s.tokens.nurse, enquiryBody(code, unknown, { callbackNumber: "0113 496 0200" }));
  const child = await createChild(t, s.tokens.dm, code, {
    givenNames: "Rex",
    familyName: "Hale",
    aliases: [],
    dateOfBirth: "2014-01-01",
    addresses: [],
  });
  await t.call("POST", `/v1/children/${child.id}/plans`, {
    token: s.tokens.dm,
    body: { startDate: "2026-06-01", categories: ["neglect"] },
  });
  await enquire(t, s.tokens.sergeant, enquiryBody(code, { givenNames: "Rex", familyName: "Hale", dateOfBirth: "2014-01-01" }));
  return s;
}

const at = (instant: string) => t.clock.set(instant);

describe("a duty officer and the designated manager's lists", () => {
  it("reads the open considerations and alerts at 22:00 on a working day, and cannot decide", async () => {
    const s = await authorityWithWork("OOHA");
    at("2026-11-24T22:00:00Z");
    const considerations = await t.call("GET", "/v1/cin-considerations", { token: s.tokens.edt });
    expect(considerations.status).toBe(200);
    expect(considerations.body.items).toHaveLength(1);
    expect(considerations.body.items[0].authority).toBe("OOHA");
    const alerts = await t.call("GET", "/v1/alerts", { token: s.tokens.edt });
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.map((a: { kind: string; reason?: string }) => [a.kind, a.reason])).toEqual([
      ["enquiry_without_key_worker", "enquiry_about_plan_child"],
    ]);
    // Decisions stay with the designated manager.
    expectProblem(
      await t.call("POST", `/v1/cin-considerations/${considerations.body.items[0].id}/decision`, {
        token: s.tokens.edt,
        body: { decision: "referred", note: "Passed to the MASH" },
      }),
      403,
    );
    // Each reading is audited under the duty officer.
    const { rows } = await t.client.execute({
      sql: "SELECT action FROM audit_log WHERE user_id = ? AND action IN ('consideration.list', 'alert.list') ORDER BY seq",
      args: ["edt-OOHA"],
    });
    expect(rows.map((r) => r.action)).toEqual(["consideration.list", "alert.list"]);
    at("2026-11-24T10:00:00Z");
  });

  it("does not read decided considerations, whose decisions and notes are the manager's, at any hour", async () => {
    const s = await authorityWithWork("OOHG");
    const [open] = (await t.call("GET", "/v1/cin-considerations", { token: s.tokens.dm })).body.items;
    const decided = await t.call("POST", `/v1/cin-considerations/${open.id}/decision`, {
      token: s.tokens.dm,
      body: { decision: "not_child_in_need", note: "The manager's note" },
    });
    expect(decided.status).toBe(200);
    at("2026-11-24T22:00:00Z");
    expectProblem(await t.call("GET", "/v1/cin-considerations?status=decided", { token: s.tokens.edt }), 403);
    const duty = await signInDev(t, { userId: "edt-web-OOHG", name: "Eddie Web", roles: ["duty_officer"], authorities: ["OOHG"] });
    const page = await duty.get("/considerations");
    expect(page.status).toBe(200);
    expect(page.html).not.toContain("The manager&#39;s note");
    expect(page.html).not.toContain("The manager's note");
    at("2026-11-24T10:00:00Z");
    expect((await t.call("GET", "/v1/cin-considerations?status=decided", { token: s.tokens.dm })).body.items).toHaveLength(1);
  });

  it("is refused both at 11:00 on a working day (403), while the manager reads them", async () => {
    const s = await authorityWithWork("OOHB");
    at("2026-11-24T11:00:00Z");
    const p = expectProblem(await t.call("GET", "/v1/cin-considerations", { token: s.tokens.edt }), 403);
    expect(p.detail).toMatch(/office hours/);
    expectProblem(await t.call("GET", "/v1/alerts", { token: s.tokens.edt }), 403);
    expect((await t.call("GET", "/v1/cin-considerations", { token: s.tokens.dm })).body.items).toHaveLength(1);
    at("2026-11-24T10:00:00Z");
  });

  it("reads them on a closure day of the authority, and on a Saturday", async () => {
    const s = await authorityWithWork("OOHC");
    expect(
      (await t.call("PUT", "/v1/authorities/OOHC/closure-days/2026-11-26", { token: s.tokens.dm, body: { reason: "Staff training" } }))
        .status,
    ).toBeLessThan(300);
    at("2026-11-26T11:00:00Z");
    expect((await t.call("GET", "/v1/cin-considerations", { token: s.tokens.edt })).status).toBe(200);
    at("2026-11-28T11:00:00Z");
    expect((await t.call("GET", "/v1/alerts", { token: s.tokens.edt })).status).toBe(200);
    at("2026-11-24T10:00:00Z");
  });

  it("of several authorities, sees only those whose offices are closed now", async () => {
    await authorityWithWork("OOHD");
    const open = await authorityWithWork("OOHE");
    // Its offices are open until 23:00 every day.
    const hours = { timezone: "Europe/London", days: [1, 2, 3, 4, 5, 6, 7], open: "07:00", close: "23:00" };
    expect((await t.call("PATCH", "/v1/authorities/OOHE", { token: open.tokens.dm, body: { officeHours: hours } })).status).toBe(200);
    const edt = await t.token({ sub: "edt-both", name: "Eddie Duty", roles: ["duty_officer"], authorities: ["OOHD", "OOHE"] });
    at("2026-11-24T22:00:00Z");
    const items = (await t.call("GET", "/v1/cin-considerations", { token: edt })).body.items;
    expect(items.map((c: { authority: string }) => c.authority)).toEqual(["OOHD"]);
    at("2026-11-24T10:00:00Z");
  });

  it("an enquirer or key worker gets 403 at any hour", async () => {
    const s = await authorityWithWork("OOHF");
    at("2026-11-24T22:00:00Z");
    expectProblem(await t.call("GET", "/v1/cin-considerations", { token: s.tokens.sergeant }), 403);
    expectProblem(await t.call("GET", "/v1/alerts", { token: s.tokens.sam }), 403);
    at("2026-11-24T10:00:00Z");
  });
});

describe("the desks", () => {
  it("show a duty officer the considerations (without the decision) and the alerts at 22:00, and refuse them at 11:00", async () => {
    await authorityWithWork("OOHW");
    at("2026-11-24T22:00:00Z");
    const duty = await signInDev(t, { userId: "edt-web-OOHW", name: "Eddie Web", roles: ["duty_officer"], authorities: ["OOHW"] });
    const considerations = await duty.get("/considerations");
    expect(considerations.status).toBe(200);
    expect(textOf(considerations.html)).toContain("Consideration 1");
    expect(textOf(considerations.html)).toContain("The designated manager decides whether this is a child in need.");
    expect(considerations.html).not.toContain("/decide");
    expect(considerations.html).toContain('href="/alerts"');
    const alerts = await duty.get("/alerts");
    expect(alerts.status).toBe(200);
    expect(textOf(alerts.html)).toContain("No key worker told");
    // The next morning, signed in again.
    at("2026-11-25T11:00:00Z");
    const morning = await signInDev(t, { userId: "edt-web-OOHW", name: "Eddie Web", roles: ["duty_officer"], authorities: ["OOHW"] });
    expect((await morning.get("/considerations")).status).toBe(403);
    expect((await morning.get("/alerts")).status).toBe(403);
    at("2026-11-24T10:00:00Z");
  });

  it("show the designated manager the alerts, with a link to the record of the child no key worker was told of", async () => {
    const s = await authorityWithWork("OOHX");
    const dm = await signInDev(t, { userId: "dm-web-OOHX", name: "Dana Web", roles: ["designated_manager"], authorities: ["OOHX"] });
    const page = await dm.get("/alerts");
    expect(page.status).toBe(200);
    const [alert] = (await t.call("GET", "/v1/alerts", { token: s.tokens.dm })).body.items;
    expect(page.html).toContain(`href="/register/children/${alert.childId}"`);
  });
});
