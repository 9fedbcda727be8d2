import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";

/**
 * Object-level authorisation (OWASP API1): two authorities side by side, each with a plan
 * child, an enquiry that notified its key worker and a consideration. Everyone on one side
 * tries every object of the other: each attempt is 404 (the object's existence is not
 * confirmed), changes nothing, and is in the audit log against that object, where the
 * owning authority's auditor sees it.
 */
let t: TestApp;
let a: Setup;
let b: Setup;
const objects: Record<string, string> = {};

async function sideOf(s: Setup, prefix: string) {
  const child = await planChild(t, s);
  const record = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body;
  const known = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody(s.code, { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
  );
  const unknown = { givenNames: "Nobody", familyName: `${prefix}Unlisted`, dateOfBirth: "2020-02-02" };
  await enquire(t, s.tokens.sergeant, enquiryBody(s.code, unknown));
  await enquire(t, s.tokens.nurse, enquiryBody(s.code, unknown, { callbackNumber: "0113 496 0200" }));
  const note = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items[0];
  const consideration = (await t.call("GET", "/v1/cin-considerations", { token: s.tokens.dm })).body.items[0];
  expect(note && consideration, "the fixture made a notification and a consideration").toBeTruthy();
  return {
    child: child.id,
    case: record.cases[0].id,
    plan: record.plans[0].id,
    enquiry: known.id,
    notification: note.id,
    consideration: consideration.id,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  a = await setupAuthority(t, "OBJA");
  b = await setupAuthority(t, "OBJB");
  Object.assign(objects, await sideOf(a, "A"));
  await sideOf(b, "B");
});
afterAll(() => t?.close());

/** What someone from authority B (or another enquirer) tries against A's objects. */
const attempts = () => [
  { who: "B's designated manager", token: b.tokens.dm, method: "GET", path: `/v1/children/${objects.child}`, target: objects.child },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "PATCH",
    path: `/v1/children/${objects.child}`,
    body: { householdNote: "changed" },
    target: objects.child,
  },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "POST",
    path: `/v1/children/${objects.child}/cases`,
    body: { type: "looked_after", openedOn: "2026-01-02", keyWorkerId: b.sam.id },
    target: objects.child,
  },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "POST",
    path: `/v1/children/${objects.child}/plans`,
    body: { startDate: "2026-07-01", categories: ["neglect"] },
    target: objects.child,
  },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "POST",
    path: `/v1/children/${objects.child}/conferences`,
    body: { type: "review", heldOn: "2026-07-01", outcome: "no_plan" },
    target: objects.child,
  },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "PATCH",
    path: `/v1/cases/${objects.case}`,
    body: { closedOn: "2026-09-01" },
    target: objects.case,
  },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "PATCH",
    path: `/v1/plans/${objects.plan}`,
    body: { endDate: "2026-09-01", endReason: "died" },
    target: objects.plan,
  },
  {
    who: "B's designated manager",
    token: b.tokens.dm,
    method: "POST",
    path: `/v1/cin-considerations/${objects.consideration}/decision`,
    body: { decision: "not_child_in_need", note: "not mine" },
    target: objects.consideration,
  },
  { who: "B's duty officer", token: b.tokens.edt, method: "POST", path: `/v1/callbacks/${objects.enquiry}/claim`, target: objects.enquiry },
  {
    who: "B's duty officer",
    token: b.tokens.edt,
    method: "POST",
    path: `/v1/callbacks/${objects.enquiry}/confirm-match`,
    body: { childId: null },
    target: objects.enquiry,
  },
  {
    who: "B's duty officer",
    token: b.tokens.edt,
    method: "POST",
    path: `/v1/callbacks/${objects.enquiry}/complete`,
    body: { numberDialled: "0121 496 0100", adviceGiven: "x" },
    target: objects.enquiry,
  },
  {
    who: "B's key worker",
    token: b.tokens.sam,
    method: "POST",
    path: `/v1/notifications/${objects.notification}/read`,
    target: objects.notification,
  },
  {
    who: "A's other key worker",
    token: a.tokens.jo,
    method: "POST",
    path: `/v1/notifications/${objects.notification}/read`,
    target: objects.notification,
  },
  { who: "another enquirer", token: a.tokens.nurse, method: "GET", path: `/v1/enquiries/${objects.enquiry}`, target: objects.enquiry },
];

describe("objects of another authority, another key worker or another enquirer", () => {
  it("are 404 to every one of them, change nothing, and every attempt is audited against the object", async () => {
    const list = attempts();
    const before = await tableCounts(t.client, ["audit_log", "audit_subjects"]);
    const snapshot = await t.client.execute("SELECT id, household_note FROM children ORDER BY id");
    for (const x of list) {
      const res = await t.call(x.method, x.path, { token: x.token, body: x.body });
      expectProblem(res, 404);
      expect(JSON.stringify(res.body), `${x.who}: ${x.method} ${x.path}`).not.toMatch(/Hartley|Amelia|Unlisted/);
    }
    expect(await tableCounts(t.client, ["audit_log", "audit_subjects"])).toEqual(before);
    expect((await t.client.execute("SELECT id, household_note FROM children ORDER BY id")).rows).toEqual(snapshot.rows);

    const refused = (await t.client.execute("SELECT target_id, outcome FROM audit_log WHERE outcome = 'refused_404'")).rows.map((r) =>
      String(r.target_id),
    );
    for (const x of list) expect(refused, `${x.who}: ${x.method} ${x.path} audited`).toContain(x.target);
    // A's auditor sees the attempts on A's objects.
    const seen = (await t.call("GET", "/v1/audit?limit=500", { token: a.tokens.auditor })).body.items.filter(
      (e: { outcome: string }) => e.outcome === "refused_404",
    );
    expect(seen.length).toBeGreaterThanOrEqual(list.length);
  });

  it("never appear in anyone else's lists", async () => {
    const lists = [
      { token: b.tokens.dm, path: "/v1/children?q=Hartley" }, // B has its own Hartley; A's must not show
      { token: b.tokens.dm, path: "/v1/alerts" },
      { token: b.tokens.dm, path: "/v1/workers" },
      { token: b.tokens.dm, path: "/v1/cin-considerations" },
      { token: b.tokens.dm, path: "/v1/cin-considerations?status=decided" },
      { token: b.tokens.edt, path: "/v1/callbacks" },
      { token: b.tokens.edt, path: "/v1/callbacks?status=claimed" },
      { token: b.tokens.edt, path: "/v1/callbacks?status=completed" },
      { token: b.tokens.sam, path: "/v1/notifications" },
      { token: a.tokens.jo, path: "/v1/notifications" },
      { token: a.tokens.head, path: "/v1/enquiries" },
      { token: b.tokens.auditor, path: "/v1/audit?limit=500" },
    ];
    for (const l of lists) {
      const res = await t.call("GET", l.path, { token: l.token });
      expect(res.status, l.path).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of Object.values(objects))
        expect(
          text,
          `${l.path} shows ${id}: ${JSON.stringify(res.body.items?.filter((e: unknown) => JSON.stringify(e).includes(id)))}`,
        ).not.toContain(id);
      // A's children, authority and staff (enquirers belong to no authority) are not in B's view.
      const aStaff = /AUnlisted|"OBJA"|"(dm|aud|edt|edt2|kw-sam|kw-jo)-OBJA"/;
      expect(text, `${l.path}: ${JSON.stringify(res.body.items?.filter((e: unknown) => aStaff.test(JSON.stringify(e))))}`).not.toMatch(
        aStaff,
      );
    }
  });

  it("a designated manager cannot act for an authority their token does not list (403, audited)", async () => {
    const before = await tableCounts(t.client, ["audit_log", "audit_subjects"]);
    for (const [method, path, body] of [
      ["POST", "/v1/workers", { authority: "OBJA", name: "Infiltrator" }],
      ["POST", "/v1/children", { authority: "OBJA", givenNames: "X", familyName: "Y", dateOfBirth: "2020-01-01" }],
      ["PATCH", "/v1/authorities/OBJA", { name: "Mine now" }],
      ["PUT", "/v1/authorities/OBJA/professions", { codes: ["police_sergeant"] }],
    ] as const) {
      const res = await t.call(method, path, { token: b.tokens.dm, body });
      expect([403, 404], `${method} ${path}`).toContain(res.status);
      expectProblem(res, res.status);
    }
    expect(await tableCounts(t.client, ["audit_log", "audit_subjects"])).toEqual(before);
    // Asking for A's workers by code is a filter outside the caller's scope: nothing comes back.
    const listed = await t.call("GET", "/v1/workers?authority=OBJA", { token: b.tokens.dm });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });
});

// Its own register, so it passes alone and in any order (it came from a review of the landed code).
describe("auditors see their own authorities' part of the log", () => {
  let t: TestApp;
  let s: Setup;
  let k: Setup;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
    s = await setupAuthority(t, "REVA");
    k = await setupAuthority(t, "REVB");
  });
  afterAll(() => t.close());

  it("a search, a queue read and an inbox read are logged against the authority whose records they showed", async () => {
    const child = await createChild(t, s.tokens.dm, "REVA", { givenNames: "Secret", familyName: "Searchname" });
    await t.call("GET", "/v1/children?q=secret%20searchname", { token: s.tokens.dm });
    await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames: "Secret", familyName: "Searchname", dateOfBirth: "2015-03-02" }));
    await t.call("GET", "/v1/callbacks", { token: s.tokens.edt });
    const theirs = JSON.stringify((await t.call("GET", "/v1/audit?limit=1000", { token: k.tokens.auditor })).body.items);
    expect(theirs).not.toMatch(/Searchname|searchname/i);
    expect(theirs).not.toContain(child.id);
    expect((await t.call("GET", `/v1/audit?childId=${child.id}`, { token: k.tokens.auditor })).body.items).toEqual([]);
    const ours = (await t.call("GET", `/v1/audit?childId=${child.id}`, { token: s.tokens.auditor })).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(ours).toEqual(expect.arrayContaining(["child.search", "callback.list"]));
  });
});
