import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../src/lib/principal";
import { createTestApp, expectProblem, type TestApp } from "./support/app";
import { planChild, type Setup, setupAuthority } from "./support/enquiry";
import { createAuthority, createChild } from "./support/fixtures";
import { moveOut } from "./support/moves";

/**
 * Seed 001 7.12.2: the custodian's list of every child on a plan (`GET /v1/children?onPlan=current`),
 * through the API on a real database: who is on it and who is not, its order and pages, the
 * CSV, who may read it, and the audit of every child it showed.
 */
let t: TestApp;
let s: Setup;
let otherDm: string;
const ids = {} as Record<"amelia" | "kai" | "ended" | "never" | "formula" | "quoted" | "unborn" | "other", string>;

const moveIn = {
  authority: "ONP",
  child: {
    givenNames: "Kai",
    familyName: "Okafor",
    dateOfBirth: "2018-07-30",
    addresses: [{ line1: "4 Canal Walk", town: "Stafford", postcode: "ST16 3AA", from: "2026-11-16" }],
  },
  moveDate: "2026-11-16",
  status: "actual",
  originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
  originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
  plan: { startDate: "2026-09-01", categories: ["emotional_abuse", "neglect"] },
};

async function addPlan(childId: string, startDate: string, categories: string[], dm = s.tokens.dm) {
  const res = await t.call("POST", `/v1/children/${childId}/plans`, { token: dm, body: { startDate, categories } });
  if (res.status !== 201) throw new Error(`plan: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The cursor the list gives for a page ending at this child (its id, base64url). */
const cursorOf = (id: string) => btoa(id).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

const list = (query = "", token = s.tokens.dm) => t.call("GET", `/v1/children?onPlan=current${query}`, { token });

beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T10:00:00Z" });
  s = await setupAuthority(t, "ONP");
  otherDm = await t.token({ sub: "dm-ONQ", name: "Olu Manager", roles: ["designated_manager"], authorities: ["ONQ"] });
  await createAuthority(t, otherDm, "ONQ");

  // On a plan, with an open case held by Sam Patel.
  ids.amelia = (await planChild(t, s)).id;
  // Moved in on another authority's plan: temporary, no case here.
  const moved = await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn });
  expect(moved.status).toBe(201);
  ids.kai = moved.body.childId;
  // A plan that has ended: not on the list.
  ids.ended = (await createChild(t, s.tokens.dm, "ONP", { givenNames: "Edie", familyName: "Ended", aliases: [] })).id;
  const ended = await addPlan(ids.ended, "2025-01-10", ["physical_abuse"]);
  const end = await t.call("PATCH", `/v1/plans/${ended.id}`, {
    token: s.tokens.dm,
    body: { endDate: "2026-03-01", endReason: "no_longer_at_risk" },
  });
  expect(end.status).toBe(200);
  // Never on a plan.
  ids.never = (await createChild(t, s.tokens.dm, "ONP", { givenNames: "Nora", familyName: "Never", aliases: [] })).id;
  // A name a spreadsheet would run as a formula, and one that needs quoting.
  ids.formula = (
    await createChild(t, s.tokens.dm, "ONP", { givenNames: '=HYPERLINK("http://evil.example","x")', familyName: "Abbott", aliases: [] })
  ).id;
  await addPlan(ids.formula, "2026-10-01", ["sexual_abuse"]);
  ids.quoted = (await createChild(t, s.tokens.dm, "ONP", { givenNames: 'Lee "Junior"', familyName: "Baker, Jr", aliases: [] })).id;
  await addPlan(ids.quoted, "2026-10-02", ["neglect"]);
  // An unborn child on a pre-birth plan.
  ids.unborn = (
    await createChild(t, s.tokens.dm, "ONP", {
      givenNames: "Unborn",
      familyName: "Zeller",
      dateOfBirth: null,
      expectedDateOfDelivery: "2027-02-01",
      aliases: [],
    })
  ).id;
  await addPlan(ids.unborn, "2026-11-01", ["emotional_abuse"]);
  // Another authority's child on a plan, with a name that would sort first.
  ids.other = (await createChild(t, otherDm, "ONQ", { givenNames: "Aaron", familyName: "Aardvark", aliases: [] })).id;
  await addPlan(ids.other, "2026-08-01", ["neglect"], otherDm);
});
afterAll(() => t.close());

describe("the list of children on a plan", () => {
  it("lists the plan child and the child moved in, not a plan that ended, a child never on one, or another authority's child", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const got = res.body.items.map((c: { id: string }) => c.id);
    expect(got).toEqual([ids.formula, ids.quoted, ids.amelia, ids.kai, ids.unborn]);
    expect(got).not.toContain(ids.ended);
    expect(got).not.toContain(ids.never);
    expect(got).not.toContain(ids.other);
    expect(res.body.next).toBeNull();
    const byId = Object.fromEntries(res.body.items.map((c: { id: string }) => [c.id, c]));
    expect(byId[ids.amelia]).toEqual({
      id: ids.amelia,
      authority: "ONP",
      name: "Amelia Rose Hartley",
      dateOfBirth: "2016-04-09",
      expectedDateOfDelivery: null,
      categories: ["neglect"],
      startDate: "2026-06-01",
      temporary: false,
      keyWorker: { id: s.sam.id, name: "Sam Patel", phone: "+441214960001" },
    });
    expect(byId[ids.kai]).toMatchObject({
      name: "Kai Okafor",
      temporary: true,
      startDate: "2026-09-01",
      categories: expect.arrayContaining(["emotional_abuse", "neglect"]),
      keyWorker: null,
    });
    expect(byId[ids.unborn]).toMatchObject({ dateOfBirth: null, expectedDateOfDelivery: "2027-02-01" });
    // The other authority's manager sees only theirs.
    expect((await list("", otherDm)).body.items.map((c: { id: string }) => c.id)).toEqual([ids.other]);
  });

  it("pages by limit and next, in the same order, each child once", async () => {
    const all = (await list()).body.items.map((c: { id: string }) => c.id);
    const first = await list("&limit=2");
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual(all.slice(0, 2));
    expect(first.body.next).toMatch(/^\/v1\/children\?.*onPlan=current.*cursor=/);
    // The cursor carries an id, never a name.
    const cursor = new URL(first.body.next, "http://x").searchParams.get("cursor")!;
    expect(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))).toBe(all[1]);
    const second = await t.call("GET", first.body.next, { token: s.tokens.dm });
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual(all.slice(2, 4));
    const third = await t.call("GET", second.body.next, { token: s.tokens.dm });
    expect(third.body.items.map((c: { id: string }) => c.id)).toEqual(all.slice(4));
    expect(third.body.next).toBeNull();
    expectProblem(await list("&cursor=bm90LWFuLWlk"), 400);
  });

  it("takes no cursor made of another authority's child: 400 as for an id that does not exist, saying nothing of it", async () => {
    const foreign = expectProblem(await list(`&cursor=${cursorOf(ids.other)}`), 400);
    const unknown = expectProblem(await list(`&cursor=${cursorOf("no-such-child")}`), 400);
    expect(foreign.detail).toBe(unknown.detail);
    // One of the manager's own children, on the list, is a cursor.
    expect((await list(`&cursor=${cursorOf(ids.amelia)}`)).status).toBe(200);
  });

  it("takes authority= to narrow to one of the manager's authorities, and lists nothing for another's", async () => {
    expect((await list("&authority=ONP")).body.items).toHaveLength(5);
    expect((await list("&authority=ONQ")).body.items).toEqual([]);
  });

  it("gives the whole list as CSV with a header row, RFC 4180 quoting and formulas neutralised", async () => {
    const res = await t.call("GET", "/v1/children?onPlan=current&limit=1", { token: s.tokens.dm, headers: { accept: "text/csv" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="children-on-a-plan-2026-11-23.csv"');
    const lines = String(res.body).split("\r\n");
    expect(lines[0]).toBe(
      "id,authority,name,dateOfBirth,expectedDateOfDelivery,categories,startDate,temporary,keyWorkerId,keyWorkerName,keyWorkerPhone",
    );
    // Every child, not only the first page (limit is for the JSON pages), and a CRLF after the last.
    expect(lines).toHaveLength(1 + 5 + 1);
    expect(lines.at(-1)).toBe("");
    expect(lines[1]).toBe(
      `${ids.formula},ONP,"'=HYPERLINK(""http://evil.example"",""x"") Abbott",2015-03-02,,sexual_abuse,2026-10-01,false,,,`,
    );
    expect(lines[2]).toBe(`${ids.quoted},ONP,"Lee ""Junior"" Baker, Jr",2015-03-02,,neglect,2026-10-02,false,,,`);
    expect(lines[3]).toBe(
      `${ids.amelia},ONP,Amelia Rose Hartley,2016-04-09,,neglect,2026-06-01,false,${s.sam.id},Sam Patel,'+441214960001`,
    );
    expect(lines[4]).toMatch(new RegExp(`^${ids.kai},ONP,Kai Okafor,2018-07-30,,[a-z_;]+,2026-09-01,true,,,$`));
    expect(lines[5]).toBe(`${ids.unborn},ONP,Unborn Zeller,,2027-02-01,emotional_abuse,2026-11-01,false,,,`);
    expect(String(res.body)).not.toContain(ids.other);
  });

  it("audits each listing with every child listed as a subject, under its authority", async () => {
    const before = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'child.list_on_plan'")).rows[0]!.n);
    const res = await list("&limit=3");
    const { rows } = await t.client.execute(
      "SELECT authority, user_id, request_id, detail, subjects FROM audit_log WHERE action = 'child.list_on_plan' ORDER BY seq",
    );
    expect(rows.length).toBe(before + 1);
    const last = rows.at(-1)!;
    expect(last.authority).toBe("ONP");
    expect(last.user_id).toBe("dm-ONP");
    expect(last.request_id).toBe(res.headers.get("x-request-id"));
    const shown = res.body.items.map((c: { id: string }) => c.id);
    expect(JSON.parse(String(last.detail))).toMatchObject({ onPlan: "current", format: "json", ids: shown });
    expect(JSON.parse(String(last.subjects)).sort()).toEqual([...shown].sort());
    // The auditor finds the listing under each child listed.
    const log = await t.call("GET", `/v1/audit?childId=${ids.amelia}`, { token: s.tokens.auditor });
    expect(log.body.items.some((e: { action: string }) => e.action === "child.list_on_plan")).toBe(true);
    // The CSV is audited too, as a CSV.
    await t.call("GET", "/v1/children?onPlan=current", { token: s.tokens.dm, headers: { accept: "text/csv" } });
    const csv = await t.client.execute(
      "SELECT detail, subjects FROM audit_log WHERE action = 'child.list_on_plan' ORDER BY seq DESC LIMIT 1",
    );
    expect(JSON.parse(String(csv.rows[0]!.detail)).format).toBe("csv");
    expect(JSON.parse(String(csv.rows[0]!.subjects))).toHaveLength(5);
  });

  it("is for designated managers only: every other role gets 403, no token 401", async () => {
    const tokens: Record<Role, string> = {
      enquirer: s.tokens.sergeant,
      duty_officer: s.tokens.edt,
      key_worker: s.tokens.sam,
      designated_manager: s.tokens.dm,
      auditor: s.tokens.auditor,
    };
    for (const role of ROLES) {
      const res = await list("", tokens[role]);
      expect(res.status, role).toBe(role === "designated_manager" ? 200 : 403);
      const csv = await t.call("GET", "/v1/children?onPlan=current", { token: tokens[role], headers: { accept: "text/csv" } });
      if (role !== "designated_manager") expect(expectProblem(csv, 403).detail).not.toMatch(/Hartley/);
    }
    expectProblem(await t.call("GET", "/v1/children?onPlan=current", { token: null }), 401);
  });

  it("refuses another onPlan value, or onPlan with a search, with 422 naming the field", async () => {
    expect(expectProblem(await t.call("GET", "/v1/children?onPlan=ended", { token: s.tokens.dm }), 422).errors).toEqual([
      { path: "onPlan", message: "must be one of: current" },
    ]);
    expect(
      expectProblem(await t.call("GET", "/v1/children?onPlan=current&q=hartley", { token: s.tokens.dm }), 422).errors!.map((e) => e.path),
    ).toEqual(["q"]);
    expect(
      expectProblem(await t.call("GET", "/v1/children?onPlan=current&dateOfBirth=2016-04-09", { token: s.tokens.dm }), 422).errors!.map(
        (e) => e.path,
      ),
    ).toEqual(["dateOfBirth"]);
    // The search is as it was.
    expect((await t.call("GET", "/v1/children?q=hartley", { token: s.tokens.dm })).body.items.map((c: { id: string }) => c.id)).toEqual([
      ids.amelia,
    ]);
    expectProblem(await t.call("GET", "/v1/children", { token: s.tokens.dm }), 400);
  });
});

describe("a list longer than the CSV's internal page", () => {
  it("gives every one of 1,205 children in the CSV, each once, in order, and pages the JSON to the end", async () => {
    const dm = await t.token({ sub: "dm-ONBIG", roles: ["designated_manager"], authorities: ["ONBIG"] });
    await createAuthority(t, dm, "ONBIG");
    const n = 1205;
    const body = Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        authority: "ONBIG",
        externalId: `BIG-${i}`,
        givenNames: `Child${String(i).padStart(4, "0")}`,
        familyName: "Many",
        dateOfBirth: "2017-01-01",
        plans: [{ startDate: "2026-01-01", categories: ["neglect"] }],
      }),
    ).join("\n");
    const imported = await t.call("POST", "/v1/import", {
      token: dm,
      raw: `${body}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    const csv = await t.call("GET", "/v1/children?onPlan=current", { token: dm, headers: { accept: "text/csv" } });
    const rows = String(csv.body).trimEnd().split("\r\n").slice(1);
    const names = rows.map((r) => r.split(",")[2]);
    expect(names).toHaveLength(n);
    expect(new Set(names).size).toBe(n);
    expect(names).toEqual([...names].sort());
    expect(names[n - 1]).toBe(`Child${String(n - 1).padStart(4, "0")} Many`);
    // Two pages of 1,000 read, each audited with its own children.
    const audits = await t.client.execute(
      "SELECT subjects FROM audit_log WHERE action = 'child.list_on_plan' AND authority = 'ONBIG' ORDER BY seq",
    );
    expect(audits.rows.map((r) => JSON.parse(String(r.subjects)).length)).toEqual([1000, 205]);

    let next: string | null = "/v1/children?onPlan=current&limit=500";
    const seen: string[] = [];
    while (next) {
      const page: { body: { items: { name: string }[]; next: string | null } } = await t.call("GET", next, { token: dm });
      seen.push(...page.body.items.map((c) => c.name));
      next = page.body.next;
    }
    expect(seen).toEqual(names);
  });
});

describe("a child being handed over within the deployment", () => {
  it("is on both lists until the receiving-in outcome: the sender's plan, and placed with the receiver (temporary, audited there)", async () => {
    const sender = await setupAuthority(t, "ONS");
    const receiver = await setupAuthority(t, "ONR");
    const child = await planChild(t, sender, { givenNames: "Lars", familyName: "Holm", dateOfBirth: "2012-06-06" });
    await moveOut(t, sender, child.id, { name: "ONR County Council", code: "ONR" }, "2026-11-20");
    const listOf = async (token: string) =>
      (await list("", token)).body.items.map((c: { id: string; authority: string; temporary: boolean }) => [
        c.id,
        c.authority,
        c.temporary,
      ]);
    expect(await listOf(sender.tokens.dm)).toEqual([[child.id, "ONS", false]]);
    expect(await listOf(receiver.tokens.dm)).toEqual([[child.id, "ONR", true]]);
    const audit = await t.client.execute(
      "SELECT authority, subjects FROM audit_log WHERE action = 'child.list_on_plan' AND user_id = 'dm-ONR' ORDER BY seq DESC LIMIT 1",
    );
    expect(audit.rows[0]!.authority).toBe("ONR");
    expect(JSON.parse(String(audit.rows[0]!.subjects))).toEqual([child.id]);
    // The receiver's cursor may be that child; the manager of a third authority's may not.
    expect((await list(`&cursor=${cursorOf(child.id)}`, receiver.tokens.dm)).status).toBe(200);
    expectProblem(await list(`&cursor=${cursorOf(child.id)}`), 400);

    const due = (await t.call("GET", "/v1/deadlines", { token: receiver.tokens.dm })).body.items.find(
      (d: { childId: string }) => d.childId === child.id,
    );
    const outcome = await t.call("POST", `/v1/moves-in/${due.moveId}/outcome`, {
      token: receiver.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2026-11-23" },
    });
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    expect(await listOf(sender.tokens.dm)).toEqual([]);
    expect(await listOf(receiver.tokens.dm)).toEqual([[child.id, "ONR", false]]);
  });
});
