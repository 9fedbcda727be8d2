import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { planChild, setupAuthority } from "../support/enquiry";
import { createAuthority, createChild } from "../support/fixtures";
import { signInDev, textOf, type WebUser } from "../support/web";

/** The designated manager's "Children on a plan" page (seed 001 7.12.2) and its CSV download. */
let t: TestApp;
let dm: WebUser;
let plan: string;
let moved: string;
let ended: string;
let other: string;

/** An authority with a child on a plan, a child moved in on a plan, and a child whose plan has ended. */
async function onPlanAuthority(code: string) {
  const s = await setupAuthority(t, code);
  const plan = (await planChild(t, s)).id;
  const m = await t.call("POST", "/v1/moves-in", {
    token: s.tokens.dm,
    body: {
      authority: code,
      child: { givenNames: "Kai", familyName: "Okafor", dateOfBirth: "2018-07-30", addresses: [] },
      moveDate: "2026-11-16",
      status: "actual",
      originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
      originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
      plan: { startDate: "2026-09-01", categories: ["neglect"] },
    },
  });
  const moved: string = m.body.childId;
  const ended: string = (await createChild(t, s.tokens.dm, code, { givenNames: "Edie", familyName: "Ended", aliases: [] })).id;
  const p = await t.call("POST", `/v1/children/${ended}/plans`, {
    token: s.tokens.dm,
    body: { startDate: "2025-01-01", categories: ["neglect"] },
  });
  await t.call("PATCH", `/v1/plans/${p.body.id}`, { token: s.tokens.dm, body: { endDate: "2026-01-01", endReason: "no_longer_at_risk" } });
  return { s, plan, moved, ended };
}

beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T14:00:00Z" });
  ({ plan, moved, ended } = await onPlanAuthority("OPW"));
  const otherDm = await t.token({ sub: "dm-OPX", roles: ["designated_manager"], authorities: ["OPX"] });
  await createAuthority(t, otherDm, "OPX");
  other = (await createChild(t, otherDm, "OPX", { givenNames: "Olive", familyName: "Elsewhere", aliases: [] })).id;
  await t.call("POST", `/v1/children/${other}/plans`, { token: otherDm, body: { startDate: "2026-01-01", categories: ["neglect"] } });
  dm = await signInDev(t, { userId: "dm-web-OPW", name: "Dana Web", roles: ["designated_manager"], authorities: ["OPW"] });
});
afterAll(() => t.close());

describe("the manager's page of children on a plan", () => {
  it("is in the manager's navigation", async () => {
    const home = await dm.get("/register");
    expect(home.html).toContain('href="/register/on-plan"');
    expect(textOf(home.html)).toContain("Children on a plan");
  });

  it("lists the plan child and the child moved in, with categories and key worker, links each record and the CSV, and audits it", async () => {
    const res = await dm.get("/register/on-plan");
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("Children on a plan");
    expect(text).toContain("Amelia Rose Hartley");
    expect(text).toContain("9 April 2016");
    expect(text).toContain("Sam Patel, 0121 496 0001");
    expect(text).toContain("Kai Okafor");
    expect(text).toContain("Temporary: moved in");
    expect(text).not.toContain("Edie Ended");
    expect(text).not.toContain("Olive Elsewhere");
    expect(res.html).toContain('class="govuk-table"');
    expect(res.html).toContain(`href="/register/children/${plan}"`);
    expect(res.html).toContain(`href="/register/children/${moved}"`);
    expect(res.html).toContain('href="/register/on-plan.csv"');
    expect(/<title>([^<]*)<\/title>/.exec(res.html)![1]).not.toMatch(/Amelia|Hartley/);
    const { rows } = await t.client.execute(
      "SELECT detail, subjects FROM audit_log WHERE action = 'child.list_on_plan' AND user_id = 'dm-web-OPW' ORDER BY seq DESC LIMIT 1",
    );
    expect(JSON.parse(String(rows[0]!.detail)).format).toBe("html");
    expect(JSON.parse(String(rows[0]!.subjects)).sort()).toEqual([plan, moved].sort());
    expect(JSON.parse(String(rows[0]!.subjects))).not.toContain(ended);
  });

  it("downloads the same list as CSV", async () => {
    const res = await t.app.request("/register/on-plan.csv", { headers: { cookie: dm.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="children-on-a-plan-2026-11-23\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,authority,name,/);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([plan, moved]);
  });

  it("pages forward with a cursor that names no one", async () => {
    // An authority of its own, as OPW's was before the import: the other tests list OPW's two children on a plan.
    const { s } = await onPlanAuthority("OPQ");
    const dm = await signInDev(t, { userId: "dm-web-OPQ", name: "Dana Web", roles: ["designated_manager"], authorities: ["OPQ"] });
    // 100 more children on plans, in one import: two pages in all.
    const lines = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({
        authority: "OPQ",
        externalId: `OPQ-${i}`,
        givenNames: `Pat${String(i).padStart(3, "0")}`,
        familyName: "Zulu",
        dateOfBirth: "2017-01-01",
        plans: [{ startDate: "2026-10-01", categories: ["neglect"] }],
      }),
    );
    const imported = await t.call("POST", "/v1/import", {
      token: s.tokens.dm,
      raw: `${lines.join("\n")}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(imported.status).toBe(200);
    const first = await dm.get("/register/on-plan");
    expect(textOf(first.html)).toContain("100 children on this page");
    const next = /href="([^"]+)" rel="next"/.exec(first.html)![1]!.replace(/&amp;/g, "&");
    expect(next).toMatch(/^\/register\/on-plan\?cursor=[A-Za-z0-9_-]+$/);
    expect(next).not.toMatch(/Zulu|zulu|Pat/);
    const second = await dm.get(next);
    expect(second.status).toBe(200);
    const text = textOf(second.html);
    expect(text).toContain("2 children on this page");
    expect(text).toContain("Pat098 Zulu");
    expect(text).toContain("Pat099 Zulu");
    expect(text).toContain("Back to the start of the list");
    expect(second.html).not.toContain('id="next-page"');
  });

  it("is the designated manager's only", async () => {
    for (const role of ["enquirer", "duty_officer", "key_worker", "auditor"] as const) {
      const u = await signInDev(t, { userId: `${role}-opw`, roles: [role], authorities: ["OPW"], profession: "police_sergeant" });
      expect((await u.get("/register/on-plan")).status, role).toBe(403);
      expect((await u.get("/register/on-plan.csv")).status, role).toBe(403);
    }
  });
});
