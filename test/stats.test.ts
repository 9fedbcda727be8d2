import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressParts } from "../src/stats/stats.service";
import { createTestApp, expectProblem, type TestApp } from "./support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "./support/enquiry";
import { createAuthority, createChild } from "./support/fixtures";

/**
 * The Board's statistics against a register built by hand for November 2026: every cell is
 * worked out below from what was recorded, then checked exactly, suppressed and as CSV.
 */
let t: TestApp;
let s: Setup;
let otherDm: string;
const at = (iso: string) => t.clock.set(iso);

beforeAll(async () => {
  t = await createTestApp({ now: "2026-10-30T10:00:00Z" });
  s = await setupAuthority(t, "BOARD");
  otherDm = await t.token({ sub: "dm-other", name: "Other Manager", roles: ["designated_manager"], authorities: ["OTHERB"] });
  await createAuthority(t, otherDm, "OTHERB");
  const dm = s.tokens.dm;
  const child = async (given: string, extra: Record<string, unknown>) =>
    createChild(t, dm, "BOARD", { givenNames: given, familyName: "Board", aliases: [], addresses: [], ...extra });
  const plan = async (id: string, startDate: string, categories: string[]) => {
    const r = await t.call("POST", `/v1/children/${id}/plans`, { token: dm, body: { startDate, categories } });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    return r.body;
  };

  // Before the period: an enquiry that must not count.
  await enquire(t, s.tokens.sergeant, enquiryBody("BOARD", { givenNames: "Yan", familyName: "Early", dateOfBirth: "2019-01-01" }));

  at("2026-11-20T10:00:00Z");
  const c1 = await child("Cora", { dateOfBirth: "2026-06-01" }); // under 1
  await t.call("POST", `/v1/children/${c1.id}/cases`, {
    token: dm,
    body: { type: "child_protection", openedOn: "2026-09-20", keyWorkerId: s.sam.id },
  });
  await plan(c1.id, "2026-10-01", ["neglect"]);
  const c2 = await child("Dev", { dateOfBirth: "2022-03-03" }); // 1-4
  await plan(c2.id, "2026-11-05", ["physical_abuse", "emotional_abuse"]);
  const c3 = await child("Esme", { dateOfBirth: "2012-01-01" });
  const p3 = await plan(c3.id, "2025-05-01", ["sexual_abuse"]);
  await t.call("PATCH", `/v1/plans/${p3.id}`, { token: dm, body: { endDate: "2026-11-10", endReason: "no_longer_at_risk" } });
  const c4 = await child("Fin", { dateOfBirth: null, expectedDateOfDelivery: "2027-01-15" }); // unborn
  await plan(c4.id, "2026-11-12", ["neglect"]);
  const c5 = await child("Gwen", { dateOfBirth: "2009-06-06" }); // 16-17
  await plan(c5.id, "2026-02-01", ["emotional_abuse"]);
  const c6 = await child("Hugo", { dateOfBirth: "2018-08-08" }); // 5-9
  const p6 = await plan(c6.id, "2026-01-01", ["neglect"]);
  await t.call("PATCH", `/v1/plans/${p6.id}`, { token: dm, body: { categories: ["physical_abuse"], changedOn: "2026-11-15" } });
  const moveIn = (given: string, dob: string, moveDate: string) => ({
    authority: "BOARD",
    child: { givenNames: given, familyName: "Board", dateOfBirth: dob },
    moveDate,
    status: "actual",
    originatingAuthority: { name: "Walsall Council", custodianPhone: "01922 650000" },
    originatingKeyWorker: { name: "Tom Bell", phone: "01922 650001" },
    plan: { startDate: "2026-08-01", categories: ["neglect"] },
  });
  const m7 = await t.call("POST", "/v1/moves-in", { token: dm, body: moveIn("Iris", "2015-05-05", "2026-11-02") }); // 10-15, due 23 Nov
  expect(m7.body.receivingInConferenceDue).toBe("2026-11-23");
  await t.call("POST", `/v1/moves-in/${m7.body.id}/outcome`, {
    token: dm,
    body: { outcome: "receiving_in_plan", decidedOn: "2026-11-20" },
  }); // met
  const m8 = await t.call("POST", "/v1/moves-in", { token: dm, body: moveIn("Jude", "2020-01-01", "2026-11-03") }); // 5-9, due 24 Nov, never settled: missed
  expect(m8.body.receivingInConferenceDue).toBe("2026-11-24");

  // Enquiries in November, each at its own time, and three call-backs completed.
  const visitor = await t.token({
    sub: "hv-board",
    name: "Hana Visitor",
    roles: ["enquirer"],
    profession: "health_visitor",
    agency: s.hospital,
  });
  at("2026-11-16T10:00:00Z");
  const e1 = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody("BOARD", { givenNames: "Cora", familyName: "Board", dateOfBirth: "2026-06-01" }),
  ); // known, in hours; Sam is told
  at("2026-11-16T02:00:00Z");
  const e2 = await enquire(
    t,
    s.tokens.nurse,
    enquiryBody("BOARD", { givenNames: "Xena", familyName: "Nobody", dateOfBirth: "2017-07-07" }, { callbackNumber: "0113 496 0200" }),
  ); // not known, out of hours
  at("2026-11-17T02:00:00Z");
  await enquire(
    t,
    s.tokens.nurse,
    enquiryBody("BOARD", { givenNames: "Xena", familyName: "Nobody", dateOfBirth: "2017-07-07" }, { callbackNumber: "0113 496 0200" }),
  ); // again: a consideration opens
  at("2026-11-18T11:00:00Z");
  await enquire(
    t,
    s.tokens.head,
    enquiryBody("BOARD", { givenNames: "Gwenn", familyName: "Board", dateOfBirth: "2009-06-06" }, { callbackNumber: "020 7946 0300" }),
  ); // possible
  at("2026-11-19T11:00:00Z");
  const e5 = await enquire(
    t,
    visitor,
    enquiryBody("BOARD", { givenNames: "Hugo", familyName: "Board", dateOfBirth: "2018-08-08" }, { callbackNumber: "0113 496 0200" }),
  ); // known
  const complete = async (id: string, whenClaimed: string, whenDone: string, number: string) => {
    at(whenClaimed);
    expect((await t.call("POST", `/v1/callbacks/${id}/claim`, { token: s.tokens.edt })).status).toBe(200);
    at(whenDone);
    const r = await t.call("POST", `/v1/callbacks/${id}/complete`, {
      token: s.tokens.edt,
      body: { numberDialled: number, adviceGiven: "As prepared" },
    });
    expect(r.status).toBe(200);
  };
  await complete(e1.id, "2026-11-16T10:10:00Z", "2026-11-16T10:30:00Z", "0121 496 0100"); // 30 minutes
  await complete(e2.id, "2026-11-16T02:30:00Z", "2026-11-16T03:00:00Z", "0113 496 0200"); // 60 minutes
  await complete(e5.id, "2026-11-19T12:00:00Z", "2026-11-19T12:30:00Z", "0113 496 0200"); // 90 minutes

  at("2026-11-25T10:00:00Z");
  const open = (await t.call("GET", "/v1/cin-considerations?status=open", { token: dm })).body.items;
  expect(open).toHaveLength(1);
  await t.call("POST", `/v1/cin-considerations/${open[0].id}/decision`, {
    token: dm,
    body: { decision: "child_in_need", note: "Assessment opened" },
  });

  at("2026-12-01T10:00:00Z");
});
afterAll(() => t.close());

const EXACT = {
  authorities: ["BOARD"],
  from: "2026-11-01",
  to: "2026-11-30",
  asOf: "2026-11-30",
  exact: true,
  register: {
    onPlans: 7,
    onPlansByCategory: { physical_abuse: 2, emotional_abuse: 2, sexual_abuse: 0, neglect: 4 },
    onPlansByAgeBand: { unborn: 1, under_1: 1, "1_4": 1, "5_9": 2, "10_15": 1, "16_17": 1 },
    plansStarted: 2,
    plansEnded: 1,
    plansEndedByReason: { no_longer_at_risk: 1, moved_authority: 0, reached_18: 0, died: 0, left_uk: 0, procedures_not_applied: 0 },
    temporaryRegistrations: 2,
    receivingInConferences: { due: 2, met: 1, missed: 1, pending: 0 },
  },
  enquiries: {
    received: 5,
    byAgencyType: {
      social_care: 0,
      police: 1,
      health: 3,
      education: 1,
      justice: 0,
      voluntary: 0,
      armed_services: 0,
      youth_and_community: 0,
      public: 0,
      other: 0,
    },
    byProfession: { police_sergeant: 1, registered_nurse: 2, head_teacher: 1, health_visitor: 1 },
    byOutcome: { known: 2, possible: 1, not_known: 2 },
    inOfficeHours: 3,
    outOfHours: 2,
  },
  callbacks: { completed: 3, minutesToCompletion: { median: 60, p90: 90 } },
  notifications: { sent: 1, byKind: { enquiry_about_open_case: 1, enquiry_at_same_address: 0, trawl_alert: 0 } },
  childInNeedConsiderations: { opened: 1, decided: 1, byDecision: { child_in_need: 1, not_child_in_need: 0, referred: 0 } },
  peoplePosingRisk: { notified: 0, enquiriesLinked: 0 },
};

describe("statistics for the Safeguarding Children Board", () => {
  it("gives every figure exactly when the designated manager asks for exact figures", async () => {
    const res = await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-11-30&exact=true", { token: s.tokens.dm });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(EXACT);
  });

  it("shows counts of 1 to 4 as <5 by default, keeps 0 and 5 or more, and withholds call-back times under 5", async () => {
    const res = await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-11-30", { token: s.tokens.dm });
    const small = (n: unknown) => (typeof n === "number" && n > 0 && n < 5 ? "<5" : n);
    const suppress = (v: unknown): unknown =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, suppress(x)])) : small(v);
    expect(res.body).toEqual({
      ...EXACT,
      exact: false,
      register: suppress(EXACT.register),
      enquiries: suppress(EXACT.enquiries),
      callbacks: { completed: "<5", minutesToCompletion: null },
      notifications: suppress(EXACT.notifications),
      childInNeedConsiderations: suppress(EXACT.childInNeedConsiderations),
      peoplePosingRisk: EXACT.peoplePosingRisk,
    });
    expect(res.body.register.onPlans).toBe(7);
    expect(res.body.enquiries.received).toBe(5);
    expect(res.body.register.onPlansByCategory.sexual_abuse).toBe(0);
  });

  it("gives the same figures as CSV", async () => {
    const res = await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-11-30", { token: s.tokens.dm, headers: { accept: "text/csv" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toContain("board-statistics-2026-11-01-to-2026-11-30.csv");
    const lines = String(res.body).trim().split("\r\n");
    expect(lines[0]).toBe("section,measure,breakdown,value");
    for (const row of [
      "period,authorities,,BOARD",
      "period,figures,,counts of 1 to 4 shown as <5",
      "register,onPlans,,7",
      "register,onPlansByCategory,neglect,<5",
      "register,onPlansByCategory,sexual_abuse,0",
      "register,receivingInConferences,missed,<5",
      "enquiries,received,,5",
      "enquiries,byProfession,registered_nurse,<5",
      "callbacks,minutesToCompletion,,withheld",
      "child_in_need_considerations,byDecision,child_in_need,<5",
    ])
      expect(lines).toContain(row);
  });

  it("counts nothing of another authority's, and refuses another's authority and a period that ends before it starts", async () => {
    const other = await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-11-30&exact=true", { token: otherDm });
    expect(other.body.register.onPlans).toBe(0);
    expect(other.body.enquiries.received).toBe(0);
    expectProblem(await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-11-30&authority=BOARD", { token: otherDm }), 404);
    expectProblem(await t.call("GET", "/v1/stats?from=2026-11-30&to=2026-11-01", { token: s.tokens.dm }), 422);
    expectProblem(await t.call("GET", "/v1/stats?from=2026-11-31&to=2026-12-01", { token: s.tokens.dm }), 400);
    expectProblem(await t.call("GET", "/v1/stats?from=2026-11-01&to=2026-11-30", { token: s.tokens.auditor }), 403);
  });

  it("records each reading of the figures in the audit log", async () => {
    // Three readings of its own: exact, suppressed, and as CSV.
    for (const [query, headers] of [
      ["exact=true", {}],
      ["", {}],
      ["", { accept: "text/csv" }],
    ] as const)
      expect((await t.call("GET", `/v1/stats?from=2026-11-01&to=2026-11-30&${query}`, { token: s.tokens.dm, headers })).status).toBe(200);
    const log = await t.call("GET", "/v1/audit", { token: s.tokens.auditor });
    expect(log.body.items.filter((e: { action: string }) => e.action === "stats.read").length).toBeGreaterThanOrEqual(3);
  });
});

describe("small-number suppression", () => {
  it("hides a second part where one hidden part could be worked out from the total", () => {
    expect(suppressParts(9, { known: 6, possible: 2, not_known: 1 })).toEqual({ known: 6, possible: "<5", not_known: "<5" });
    expect(suppressParts(13, { known: 7, possible: 2, not_known: 0, other: 4 })).toEqual({
      known: 7,
      possible: "<5",
      not_known: 0,
      other: "<5",
    });
    expect(suppressParts(12, { inHours: 9, outOfHours: 3 })).toEqual({ inHours: "<5", outOfHours: "<5" });
    expect(suppressParts(15, { a: 8, b: 7, c: 0 })).toEqual({ a: 8, b: 7, c: 0 });
    expect(suppressParts(12, { inHours: 9, outOfHours: 3 }, true)).toEqual({ inHours: 9, outOfHours: 3 });
  });
});
