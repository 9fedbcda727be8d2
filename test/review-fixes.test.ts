import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "./support/app";
import { createChild } from "./support/fixtures";
import { enquire, enquiryBody, planChild, queueItem, setupAuthority, type Setup } from "./support/enquiry";

let t: TestApp;
let s: Setup;
let k: Setup;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
  s = await setupAuthority(t, "REVA");
  k = await setupAuthority(t, "REVB");
});
afterAll(() => t.close());

describe("auditors see their own authorities' part of the log", () => {
  it("a search, a queue read and an inbox read are logged against the authority whose records they showed", async () => {
    const child = await createChild(t, s.tokens.dm, "REVA", { givenNames: "Secret", familyName: "Searchname" });
    await t.call("GET", "/v1/children?q=secret%20searchname", { token: s.tokens.dm });
    await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames: "Secret", familyName: "Searchname", dateOfBirth: "2015-03-02" }));
    await t.call("GET", "/v1/callbacks", { token: s.tokens.edt });
    const theirs = JSON.stringify((await t.call("GET", "/v1/audit?limit=1000", { token: k.tokens.auditor })).body.items);
    expect(theirs).not.toMatch(/Searchname|searchname/i);
    expect(theirs).not.toContain(child.id);
    expect((await t.call("GET", `/v1/audit?childId=${child.id}`, { token: k.tokens.auditor })).body.items).toEqual([]);
    const ours = (await t.call("GET", `/v1/audit?childId=${child.id}`, { token: s.tokens.auditor })).body.items.map((e: { action: string }) => e.action);
    expect(ours).toEqual(expect.arrayContaining(["child.search", "callback.list"]));
  });
});

describe("the same address", () => {
  it("Flat A and Flat B of one building are two homes", async () => {
    await planChild(t, s, { givenNames: "Flat", familyName: "Alpha", dateOfBirth: "2014-01-01", addresses: [{ line1: "Flat A, 40 Mill Road", postcode: "ST17 4AA", from: "2020-01-01", to: null }] });
    const b = await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames: "Other", familyName: "Tenant", dateOfBirth: "2016-01-01" }, { addresses: [{ line1: "Flat B, 40 Mill Road", postcode: "ST17 4AA" }] }));
    const a = await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames: "Visitor", familyName: "Tenant", dateOfBirth: "2016-01-01" }, { addresses: [{ line1: "Flat A", line2: "40 Mill Road", postcode: "ST17 4AA" }] }));
    const refs = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.map((n: { enquiry: { reference: string } }) => n.enquiry.reference);
    expect(refs).not.toContain(b.reference);
    expect(refs).toContain(a.reference);
  });
});

describe("the call-back", () => {
  it("an officer who is also an enquirer cannot answer their own enquiry", async () => {
    const both = await t.token({ sub: "both-1", name: "Pat Both", roles: ["enquirer", "duty_officer"], authorities: ["REVA"], profession: "csc_social_worker", agency: "REVA Police" });
    const e = await enquire(t, both, enquiryBody("REVA", { givenNames: "Own", familyName: "Enquiry", dateOfBirth: "2015-05-05" }));
    expectProblem(await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: both }), 404);
    expect((await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
  });

  it("the answer is brought up to date when the call-back is taken", async () => {
    const child = await planChild(t, s, { givenNames: "Stale", familyName: "Answer", dateOfBirth: "2013-02-02", addresses: [] });
    const e = await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames: "Stale", familyName: "Answer", dateOfBirth: "2013-02-02" }));
    const plan = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body.plans[0];
    await t.call("PATCH", `/v1/plans/${plan.id}`, { token: s.tokens.dm, body: { endDate: "2026-11-23", endReason: "no_longer_at_risk" } });
    const claimed = await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    expect(claimed.body.answer).toMatchObject({ currentPlan: null, previousPlans: [{ startDate: "2026-06-01", endDate: "2026-11-23", categories: ["neglect"] }] });
  });

  it("a child not known at the enquiry but registered before the call-back is answered as known", async () => {
    const e = await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames: "Late", familyName: "Registered", dateOfBirth: "2012-02-02" }));
    expect((await queueItem(t, s.tokens.edt, e.id)).answer.match).toBe("not_known");
    const child = await planChild(t, s, { givenNames: "Late", familyName: "Registered", dateOfBirth: "2012-02-02", addresses: [] });
    const claimed = await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    expect(claimed.body.answer).toMatchObject({ match: "known", child: { id: child.id }, currentPlan: { categories: ["neglect"] } });
    const refs = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.map((n: { enquiry: { reference: string } }) => n.enquiry.reference);
    expect(refs).toContain(e.reference);
  });
});

describe("matching by middle names", () => {
  it("a different middle name, or a child known by a middle name, is possible, not missed", async () => {
    const child = await createChild(t, s.tokens.dm, "REVA", { givenNames: "Amy Louise", familyName: "Middleton", dateOfBirth: "2015-07-07", aliases: [], addresses: [] });
    for (const givenNames of ["Amy Jane", "Louise"]) {
      const e = await enquire(t, s.tokens.sergeant, enquiryBody("REVA", { givenNames, familyName: "Middleton", dateOfBirth: "2015-07-07" }));
      const { answer } = await queueItem(t, s.tokens.edt, e.id);
      expect(answer.match).toBe("possible");
      expect(answer.candidates.map((c: { childId: string }) => c.childId)).toContain(child.id);
    }
  });
});

describe("bad input is a clear 4xx, never a 500", () => {
  it("an empty patch is 422", async () => {
    expectProblem(await t.call("PATCH", "/v1/authorities/REVA", { token: s.tokens.dm, body: {} }), 422);
    const child = await createChild(t, s.tokens.dm, "REVA");
    expectProblem(await t.call("PATCH", `/v1/children/${child.id}`, { token: s.tokens.dm, body: {} }), 422);
  });

  it("a forged cursor is 400", async () => {
    const forged = Buffer.from("1e999").toString("base64url");
    expectProblem(await t.call("GET", `/v1/enquiries?cursor=${forged}`, { token: s.tokens.sergeant }), 400);
    expectProblem(await t.call("GET", `/v1/callbacks?cursor=${forged}`, { token: s.tokens.edt }), 400);
    expectProblem(await t.call("GET", `/v1/audit?cursor=${forged}`, { token: s.tokens.auditor }), 400);
    expectProblem(await t.call("GET", "/v1/children?q=a&cursor=%%%", { token: s.tokens.dm }), 400);
  });
});
