import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, queueItem, type Setup, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  // Tuesday 24 November 2026, 02:00 in London: the Emergency Duty Team is on.
  t = await createTestApp({ now: "2026-11-24T02:00:00Z" });
  s = await setupAuthority(t, "STORY");
});
afterAll(() => t.close());

describe("a police sergeant asks at 2am about a child on a plan for neglect", () => {
  it("is answered by call-back to the force's number, the key worker hears of it, and the sergeant reads the answer", async () => {
    const amelia = await planChild(t, s);
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody(
        "STORY",
        { givenNames: "amelia", familyName: "HARTLEY", dateOfBirth: "2016-04-09" },
        {
          addresses: [{ line1: "12 High St", town: "Stafford", postcode: "st162lh", current: true }],
          carers: [{ givenNames: "Jo", familyName: "Hartley", relationship: "mother" }],
          reason: "Found wandering at 1am",
          callbackNumber: "0121 496 0100",
        },
      ),
    );
    expect(e).toMatchObject({
      reference: expect.stringMatching(/^ENQ-\d{6}$/),
      status: "awaiting_callback",
      outOfHours: true,
      callbackNumberRecognised: true,
    });

    // Nothing is disclosed before the call-back.
    const before = await t.call("GET", `/v1/enquiries/${e.id}`, { token: s.tokens.sergeant });
    expect(before.body).toMatchObject({ status: "awaiting_callback", answer: null, reason: "Found wandering at 1am" });

    // The EDT officer's queue has it, with the answer prepared.
    const item = await queueItem(t, s.tokens.edt, e.id);
    expect(item).toMatchObject({
      reference: e.reference,
      status: "awaiting_callback",
      outOfHours: true,
      claimedBy: null,
      enquirer: { name: "Sgt Kim Rowe", profession: "police_sergeant", agency: "STORY Police" },
      callbackNumber: "+441214960100",
      callbackNumberRecognised: true,
      recognisedNumbers: ["+441214960100"],
      enquiry: { reference: e.reference, child: { givenNames: "amelia", familyName: "HARTLEY" }, carers: [{ relationship: "mother" }] },
    });
    expect(item.answer).toMatchObject({
      match: "known",
      candidates: [],
      child: { id: amelia.id, name: "Amelia Rose Hartley", dateOfBirth: "2016-04-09", authority: "STORY" },
      currentPlan: { startDate: "2026-06-01", categories: ["neglect"], temporary: false },
      previousPlans: [],
      conferencesWithoutPlan: [],
      case: { status: "open", keyWorker: { name: "Sam Patel", team: "North", phone: "+441214960001" } },
      householdInformation: "Mother's partner is subject to a non-molestation order.",
      earlierEnquiries: [],
    });
    expect(item.answer.advice).toMatch(/remains your responsibility/);

    // Sam Patel's inbox has the enquiry, with the sergeant's call-back number.
    const inbox = await t.call("GET", "/v1/notifications?unread=true", { token: s.tokens.sam });
    const note = inbox.body.items.find((n: { enquiry: { reference: string } }) => n.enquiry.reference === e.reference);
    expect(note).toMatchObject({
      kind: "enquiry_about_open_case",
      readAt: null,
      enquiry: {
        receivedAt: e.receivedAt,
        enquirer: { name: "Sgt Kim Rowe", profession: "police_sergeant", agency: "STORY Police" },
        callbackNumber: "+441214960100",
        reason: "Found wandering at 1am",
      },
      child: { id: amelia.id, name: "Amelia Rose Hartley" },
    });

    // The call-back: only to a recognised number.
    expect((await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt })).body.claimedBy).toEqual({
      userId: "edt-STORY",
      name: "Eddie Duty",
    });
    const wrong = expectProblem(
      await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
        token: s.tokens.edt,
        body: { numberDialled: "07700 900123", adviceGiven: "x" },
      }),
      422,
    );
    expect(wrong.errors![0]).toMatchObject({ path: "numberDialled", message: expect.stringContaining("+441214960100") });
    expect((await queueItem(t, s.tokens.edt, e.id, "claimed")).status).toBe("in_callback");
    const done = await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
      token: s.tokens.edt,
      body: { numberDialled: "(0121) 496 0100", adviceGiven: "Told of the plan and key worker; advised referral" },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: "answered",
      numberDialled: "+441214960100",
      adviceGiven: "Told of the plan and key worker; advised referral",
    });

    // The sergeant reads the answer as given.
    const after = await t.call("GET", `/v1/enquiries/${e.id}`, { token: s.tokens.sergeant });
    expect(after.body).toMatchObject({
      status: "answered",
      answeredAt: "2026-11-24T02:00:00.000Z",
      adviceGiven: "Told of the plan and key worker; advised referral",
    });
    expect(after.body.answer).toEqual(item.answer);
    const mine = await t.call("GET", "/v1/enquiries", { token: s.tokens.sergeant });
    expect(mine.body.items[0]).toMatchObject({ id: e.id, status: "answered" });

    // Every read of the child's information is in the audit log.
    const log = await t.call("GET", `/v1/audit?childId=${amelia.id}`, { token: s.tokens.auditor });
    const actions = log.body.items.map((a: { action: string; userId: string }) => `${a.userId} ${a.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "edt-STORY callback.list",
        "kw-sam-STORY notification.list",
        "edt-STORY callback.claim",
        "edt-STORY callback.complete",
        "sgt-STORY enquiry.read",
        "sgt-STORY enquiry.list",
      ]),
    );
  });

  it("the answer given stays as it was when the register changes afterwards", async () => {
    const child = await planChild(t, s, { givenNames: "Frozen", familyName: "Answer", dateOfBirth: "2014-01-20", addresses: [] });
    const e = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("STORY", { givenNames: "Frozen", familyName: "Answer", dateOfBirth: "2014-01-20" }, { callbackNumber: "0113 496 0200" }),
    );
    await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
      token: s.tokens.edt,
      body: { numberDialled: "0113 496 0200", adviceGiven: "Told" },
    });
    const plan = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body.plans[0];
    await t.call("PATCH", `/v1/plans/${plan.id}`, { token: s.tokens.dm, body: { endDate: "2026-11-23", endReason: "no_longer_at_risk" } });
    const read = await t.call("GET", `/v1/enquiries/${e.id}`, { token: s.tokens.nurse });
    expect(read.body.answer.currentPlan).toEqual({
      startDate: "2026-06-01",
      categories: ["neglect"],
      temporary: false,
      originatingAuthority: null,
      movingTo: null,
    });
  });
});

describe("what the answer says", () => {
  it("lists previous plans with every category they held, conferences that decided no plan, and the last key worker of a closed case", async () => {
    const dm = s.tokens.dm;
    const child = await createChild(t, dm, "STORY", {
      givenNames: "Chloe",
      familyName: "Evans",
      dateOfBirth: "2014-02-11",
      aliases: [],
      addresses: [],
    });
    const k = await t.call("POST", `/v1/children/${child.id}/cases`, {
      token: dm,
      body: { type: "child_protection", openedOn: "2024-01-05", keyWorkerId: s.jo.id },
    });
    const p = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2024-02-01", categories: ["sexual_abuse"] },
    });
    await t.call("PATCH", `/v1/plans/${p.body.id}`, { token: dm, body: { categories: ["emotional_abuse"], changedOn: "2024-06-01" } });
    await t.call("PATCH", `/v1/plans/${p.body.id}`, { token: dm, body: { endDate: "2025-03-01", endReason: "no_longer_at_risk" } });
    await t.call("POST", `/v1/children/${child.id}/conferences`, {
      token: dm,
      body: { type: "initial", heldOn: "2025-09-10", outcome: "no_plan" },
    });
    await t.call("PATCH", `/v1/cases/${k.body.id}`, { token: dm, body: { closedOn: "2025-04-01" } });

    const e = await enquire(
      t,
      s.tokens.head,
      enquiryBody("STORY", { givenNames: "Chloe", familyName: "Evans", dateOfBirth: "2014-02-11" }, { callbackNumber: "020 7946 0300" }),
    );
    expect(e.callbackNumberRecognised).toBe(true);
    const { answer } = await queueItem(t, s.tokens.edt, e.id);
    expect(answer).toMatchObject({
      match: "known",
      currentPlan: null,
      previousPlans: [{ startDate: "2024-02-01", endDate: "2025-03-01", categories: ["sexual_abuse", "emotional_abuse"] }],
      conferencesWithoutPlan: [{ heldOn: "2025-09-10" }],
      case: { status: "closed", keyWorker: { name: "Jo Brennan" } },
      householdInformation: null,
    });
    // A closed case: nobody is notified of an open case.
    const inbox = await t.call("GET", "/v1/notifications", { token: s.tokens.jo });
    expect(inbox.body.items.map((n: { enquiry: { reference: string } }) => n.enquiry.reference)).not.toContain(e.reference);
  });

  it("a child never open to CSC: case never, no key worker", async () => {
    await createChild(t, s.tokens.dm, "STORY", {
      givenNames: "Nora",
      familyName: "Never",
      dateOfBirth: "2018-08-08",
      aliases: [],
      addresses: [],
    });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("STORY", { givenNames: "Nora", familyName: "Never", dateOfBirth: "2018-08-08" }),
    );
    expect((await queueItem(t, s.tokens.edt, e.id)).answer).toMatchObject({
      match: "known",
      currentPlan: null,
      case: { status: "never", keyWorker: null },
    });
  });
});

describe("an enquiry about a child at the same address as a plan child", () => {
  it("tells the plan child's key worker, whoever the enquired child turns out to be", async () => {
    const plan = await planChild(t, s, {
      givenNames: "Ruby",
      familyName: "Holt",
      dateOfBirth: "2015-05-05",
      addresses: [{ line1: "Flat 2, 9 Castle Road", postcode: "ST17 4QA", from: "2020-01-01", to: null }],
    });
    const brother = await createChild(t, s.tokens.dm, "STORY", {
      givenNames: "Leo",
      familyName: "Holt",
      dateOfBirth: "2019-03-03",
      aliases: [],
      addresses: [{ line1: "Flat 2 9 Castle Rd", postcode: "ST17 4QA", from: "2020-01-01", to: null }],
    });
    // A former resident with an ended plan: not notified.
    await createChild(t, s.tokens.dm, "STORY", {
      givenNames: "Old",
      familyName: "Tenant",
      dateOfBirth: "2010-01-01",
      aliases: [],
      addresses: [{ line1: "Flat 2, 9 Castle Road", postcode: "ST17 4QA", from: "2012-01-01", to: "2019-12-31" }],
    });

    const e = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "STORY",
        { givenNames: "Leo", familyName: "Holt", dateOfBirth: "2019-03-03" },
        {
          addresses: [{ line1: "Apartment 2, 9 Castle Road", postcode: "ST17 4QA" }],
          callbackNumber: "0113 496 0200",
        },
      ),
    );
    const item = await queueItem(t, s.tokens.edt, e.id);
    expect(item.answer).toMatchObject({ match: "known", child: { id: brother.id }, case: { status: "never" } });
    const inbox = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.filter(
      (n: { enquiry: { reference: string } }) => n.enquiry.reference === e.reference,
    );
    expect(inbox).toEqual([expect.objectContaining({ kind: "enquiry_at_same_address", child: { id: plan.id, name: "Ruby Holt" } })]);

    // An enquiry about a child nobody knows, at that address: the key worker hears of it too.
    const unknown = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody(
        "STORY",
        { givenNames: "Visiting", familyName: "Cousin", dateOfBirth: "2017-07-07" },
        { addresses: [{ line1: "Flat 2, 9 Castle Road", postcode: "ST17 4QA", current: true }] },
      ),
    );
    const again = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.filter(
      (n: { enquiry: { reference: string } }) => n.enquiry.reference === unknown.reference,
    );
    expect(again).toEqual([expect.objectContaining({ kind: "enquiry_at_same_address", child: { id: plan.id, name: "Ruby Holt" } })]);
  });

  it("uses the present address, not a previous one the enquirer gave", async () => {
    await planChild(t, s, {
      givenNames: "Past",
      familyName: "Address",
      dateOfBirth: "2015-06-06",
      addresses: [{ line1: "4 Old Lane", postcode: "ST19 5AB", from: "2020-01-01", to: null }],
    });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody(
        "STORY",
        { givenNames: "Someone", familyName: "Else", dateOfBirth: "2016-06-06" },
        {
          addresses: [
            { line1: "1 New Street", postcode: "ST16 1AA", current: true },
            { line1: "4 Old Lane", postcode: "ST19 5AB", current: false },
          ],
        },
      ),
    );
    const inbox = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items;
    expect(inbox.map((n: { enquiry: { reference: string } }) => n.enquiry.reference)).not.toContain(e.reference);
  });
});

describe("the key worker's inbox", () => {
  it("shows only their own notifications, filters unread, and marks read", async () => {
    await planChild(t, s, { givenNames: "Inbox", familyName: "Child", dateOfBirth: "2013-03-13", addresses: [] });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("STORY", { givenNames: "Inbox", familyName: "Child", dateOfBirth: "2013-03-13" }),
    );
    const note = (await t.call("GET", "/v1/notifications?unread=true", { token: s.tokens.sam })).body.items.find(
      (n: { enquiry: { reference: string } }) => n.enquiry.reference === e.reference,
    );
    expect(note).toBeDefined();
    expectProblem(await t.call("POST", `/v1/notifications/${note.id}/read`, { token: s.tokens.jo }), 404);
    expect((await t.call("GET", "/v1/notifications", { token: s.tokens.jo })).body.items.map((n: { id: string }) => n.id)).not.toContain(
      note.id,
    );
    const read = await t.call("POST", `/v1/notifications/${note.id}/read`, { token: s.tokens.sam });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toBe("2026-11-24T02:00:00.000Z");
    const unread = await t.call("GET", "/v1/notifications?unread=true", { token: s.tokens.sam });
    expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(note.id);
    expect((await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.map((n: { id: string }) => n.id)).toContain(
      note.id,
    );
  });

  it("is for key workers only", async () => {
    expectProblem(await t.call("GET", "/v1/notifications", { token: s.tokens.sergeant }), 403);
  });
});

describe("an enquirer's own enquiries", () => {
  it("another enquirer gets 404, and the attempt is audited", async () => {
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("STORY", { givenNames: "Private", familyName: "Matter", dateOfBirth: "2012-12-12" }),
    );
    expectProblem(await t.call("GET", `/v1/enquiries/${e.id}`, { token: s.tokens.nurse }), 404);
    expect((await t.call("GET", "/v1/enquiries", { token: s.tokens.nurse })).body.items.map((x: { id: string }) => x.id)).not.toContain(
      e.id,
    );
    const { rows } = await t.client.execute({
      sql: "SELECT outcome FROM audit_log WHERE user_id = ? AND target_id = ?",
      args: ["nurse-STORY", e.id],
    });
    expect(rows.map((r) => r.outcome)).toEqual(["refused_404"]);
  });
});

describe("the designated manager sees the enquiries about a child", () => {
  it("lists those matched to the child, newest first, audits the read, and hides another authority's child", async () => {
    const child = await planChild(t, s, { givenNames: "Noah", familyName: "Whitlock", dateOfBirth: "2014-02-11", addresses: [] });
    const first = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "STORY",
        { givenNames: "Noah", familyName: "Whitlock", dateOfBirth: "2014-02-11" },
        { callbackNumber: "0113 496 0200", reason: "Broken arm" },
      ),
    );
    const second = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("STORY", { givenNames: "Noah", familyName: "Whitlock", dateOfBirth: "2014-02-11" }, { reason: "Missing overnight" }),
    );
    const res = await t.call("GET", `/v1/children/${child.id}/enquiries`, { token: s.tokens.dm });
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { reference: string }) => e.reference)).toEqual([second.reference, first.reference]);
    expect(res.body.items[1]).toMatchObject({
      status: "awaiting_callback",
      reason: "Broken arm",
      enquirer: { profession: "registered_nurse", agency: s.hospital },
    });
    const audit = await t.client.execute({
      sql: "SELECT count(*) AS n FROM audit_log WHERE action = 'child.enquiries' AND target_id = ?",
      args: [child.id],
    });
    expect(Number(audit.rows[0]!.n)).toBe(1);
    const other = await t.token({ sub: "dm-elsewhere", roles: ["designated_manager"], authorities: ["ELSEWHERE"] });
    expectProblem(await t.call("GET", `/v1/children/${child.id}/enquiries`, { token: other }), 404);
  });
});

// Its own register, so it passes alone and in any order (it came from a review of the landed code).
describe("the same address", () => {
  let t: TestApp;
  let s: Setup;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
    s = await setupAuthority(t, "REVA");
  });
  afterAll(() => t.close());

  it("Flat A and Flat B of one building are two homes", async () => {
    await planChild(t, s, {
      givenNames: "Flat",
      familyName: "Alpha",
      dateOfBirth: "2014-01-01",
      addresses: [{ line1: "Flat A, 40 Mill Road", postcode: "ST17 4AA", from: "2020-01-01", to: null }],
    });
    const b = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody(
        "REVA",
        { givenNames: "Other", familyName: "Tenant", dateOfBirth: "2016-01-01" },
        { addresses: [{ line1: "Flat B, 40 Mill Road", postcode: "ST17 4AA" }] },
      ),
    );
    const a = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody(
        "REVA",
        { givenNames: "Visitor", familyName: "Tenant", dateOfBirth: "2016-01-01" },
        { addresses: [{ line1: "Flat A", line2: "40 Mill Road", postcode: "ST17 4AA" }] },
      ),
    );
    const refs = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.map(
      (n: { enquiry: { reference: string } }) => n.enquiry.reference,
    );
    expect(refs).not.toContain(b.reference);
    expect(refs).toContain(a.reference);
  });
});
