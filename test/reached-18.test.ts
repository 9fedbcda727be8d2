import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eighteenthBirthday, endPlansAtEighteen } from "../src/register/reached-18";
import { createTestApp, type TestApp } from "./support/app";
import { createAuthority, createChild } from "./support/fixtures";

/** Seed 004 §42: the scheduled job that ends plans at 18, run as the Node timer and the Workers cron run it. */
let t: TestApp;
let dm: string;
const ids: Record<string, string> = {};
// A fresh register and clock for each test: the job ends every due plan on the register.
beforeEach(async () => {
  t = await createTestApp({ now: "2026-02-28T12:00:00Z" });
  dm = await t.token({ sub: "dm-adult", name: "Dee Manager", roles: ["designated_manager"], authorities: ["ADULT"] });
  await createAuthority(t, dm, "ADULT");
  for (const [name, dob] of [
    ["Ava", "2008-12-10"],
    ["Ben", "2008-12-16"],
    ["Cal", "2008-02-29"],
    ["Dan", "2010-05-05"],
  ] as const) {
    const child = await createChild(t, dm, "ADULT", {
      givenNames: name,
      familyName: "Turner",
      dateOfBirth: dob,
      aliases: [],
      addresses: [],
    });
    const plan = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2026-01-05", categories: ["neglect"] },
    });
    expect(plan.status).toBe(201);
    ids[name] = child.id;
  }
});
afterEach(() => t.close());

const planOf = async (name: string) => (await t.call("GET", `/v1/children/${ids[name]}`, { token: dm })).body.plans[0];
const run = async (iso: string) => {
  t.clock.set(iso);
  return (await endPlansAtEighteen(t.store, t.clock)).ended;
};

describe("plans end when the child reaches 18", () => {
  it("knows when a child born on 29 February turns 18", () => {
    expect(eighteenthBirthday("2008-02-29")).toBe("2026-03-01");
    expect(eighteenthBirthday("2012-02-29")).toBe("2030-03-01");
    expect(eighteenthBirthday("2014-02-28")).toBe("2032-02-28");
    expect(eighteenthBirthday("2008-12-10")).toBe("2026-12-10");
  });

  it("ends each plan on the 18th birthday, not before, and a second run changes nothing", async () => {
    expect(await run("2026-02-28T23:30:00Z")).toBe(0);
    expect((await planOf("Cal")).endDate).toBeNull();

    // Just after midnight in London on 1 March: Cal, born 29 February 2008, is 18.
    expect(await run("2026-03-01T00:05:00Z")).toBe(1);
    expect(await planOf("Cal")).toMatchObject({ endDate: "2026-03-01", endReason: "reached_18", categories: ["neglect"] });

    // The job did not run for months; Ava's plan ends on her birthday, not the day it runs.
    expect(await run("2026-12-15T09:00:00Z")).toBe(1);
    expect(await planOf("Ava")).toMatchObject({ endDate: "2026-12-10", endReason: "reached_18" });
    expect((await planOf("Ben")).endDate).toBeNull();

    const audited = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'plan.end'")).rows[0]!.n);
    expect(await run("2026-12-15T10:00:00Z")).toBe(0);
    expect(Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'plan.end'")).rows[0]!.n)).toBe(audited);

    // Midnight in London during winter is midnight UTC; Ben turns 18 on the 16th.
    expect(await run("2026-12-15T23:59:00Z")).toBe(0);
    expect(await run("2026-12-16T00:00:30Z")).toBe(1);
    expect(await planOf("Ben")).toMatchObject({ endDate: "2026-12-16", endReason: "reached_18" });
    expect((await planOf("Dan")).endDate).toBeNull();
  });

  it("records each ending in the audit log against the child", async () => {
    // The job, run for the first time in December: Cal's and Ava's plans end.
    expect(await run("2026-12-15T09:00:00Z")).toBe(2);
    const auditor = await t.token({ sub: "aud-adult", roles: ["auditor"], authorities: ["ADULT"] });
    const log = await t.call("GET", `/v1/audit?childId=${ids.Ava}`, { token: auditor });
    expect(log.body.items).toContainEqual(
      expect.objectContaining({ action: "plan.end", userId: null, outcome: "ok", target: { type: "child", id: ids.Ava } }),
    );
  });
});
