import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";
import { signInDev, textOf, type WebUser } from "../support/web";

/**
 * A duty officer who is also an enquirer must not read, through the queue, the answer
 * prepared for their own enquiry: another officer calls them back, and that call-back is
 * the check on who asked. Their own enquiries are not in their queue at all.
 */
const A = "OWNQ";
let t: TestApp;
let s: Setup;
let both: string;
let desk: WebUser;
let pending: { id: string; reference: string };
let held: { id: string; reference: string };

beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
  s = await setupAuthority(t, A);
  await planChild(t, s);
  const claims = {
    sub: "both-own",
    name: "Pat Both",
    roles: ["enquirer", "duty_officer"] as const,
    authorities: [A],
    profession: "police_sergeant",
    agency: s.police,
  };
  both = await t.token({ ...claims, roles: [...claims.roles] });
  desk = await signInDev(t, {
    userId: "both-own",
    name: "Pat Both",
    roles: ["enquirer", "duty_officer"],
    authorities: [A],
    profession: "police_sergeant",
    agency: s.police,
  });
});
afterAll(() => t?.close());

describe("a duty officer's own enquiries", () => {
  // Each test its own two enquiries: one test counts the refusals audited against them, and another adds some.
  beforeEach(async () => {
    // A near miss of Amelia Rose Hartley: a possible match, so there are candidates to compare.
    pending = await enquire(t, both, enquiryBody(A, { givenNames: "Millie", familyName: "Hartley", dateOfBirth: "2016-04-09" }));
    held = await enquire(t, both, enquiryBody(A, { givenNames: "Millie", familyName: "Hartley", dateOfBirth: "2016-04-09" }));
    expect((await t.call("POST", `/v1/callbacks/${held.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
  });

  it("are left out of their queue, whatever the status, and still in another officer's", async () => {
    for (const status of ["pending", "claimed", "completed"]) {
      const ids = (await t.call("GET", `/v1/callbacks?status=${status}`, { token: both })).body.items.map((i: { id: string }) => i.id);
      expect(ids).not.toContain(pending.id);
      expect(ids).not.toContain(held.id);
    }
    expect(
      (await t.call("GET", "/v1/callbacks?status=pending", { token: s.tokens.edt2 })).body.items.map((i: { id: string }) => i.id),
    ).toContain(pending.id);
    expect(
      (await t.call("GET", "/v1/callbacks?status=claimed", { token: s.tokens.edt })).body.items.map((i: { id: string }) => i.id),
    ).toContain(held.id);
  });

  it("are not found one by one, nor for any action on them, and nothing changes", async () => {
    expectProblem(await t.call("GET", `/v1/callbacks/${pending.id}`, { token: both }), 404);
    expectProblem(await t.call("GET", `/v1/callbacks/${held.id}`, { token: both }), 404);
    expectProblem(await t.call("POST", `/v1/callbacks/${pending.id}/claim`, { token: both }), 404);
    expectProblem(await t.call("GET", `/v1/callbacks/${held.id}/candidates`, { token: both }), 404);
    expectProblem(await t.call("POST", `/v1/callbacks/${held.id}/confirm-match`, { token: both, body: { childId: null } }), 404);
    expectProblem(
      await t.call("POST", `/v1/callbacks/${held.id}/complete`, {
        token: both,
        body: { numberDialled: "0121 496 0100", adviceGiven: "None" },
      }),
      404,
    );
    const one = await t.call("GET", `/v1/callbacks/${held.id}`, { token: s.tokens.edt });
    expect(one.body).toMatchObject({ status: "in_callback", claimedBy: { userId: `edt-${A}` }, answer: { match: "possible" } });
    expect((await t.call("GET", `/v1/callbacks/${pending.id}`, { token: s.tokens.edt2 })).body.status).toBe("awaiting_callback");
    const refused = await t.client.execute({
      sql: "SELECT count(*) AS n FROM audit_log WHERE user_id = 'both-own' AND outcome = 'refused_404' AND target_id IN (?, ?)",
      args: [pending.id, held.id],
    });
    expect(Number(refused.rows[0]!.n)).toBe(6);
  });

  it("are not on the call-back desk either", async () => {
    const queue = await desk.get("/duty");
    expect(queue.status).toBe(200);
    expect(textOf(queue.html)).not.toContain(pending.reference);
    expect(textOf(queue.html)).not.toContain(held.reference);
    expect((await desk.get(`/duty/callbacks/${pending.id}`)).status).toBe(404);
    expect((await desk.get(`/duty/callbacks/${held.id}`)).status).toBe(404);
    expect((await desk.post(`/duty/callbacks/${pending.id}/claim`, {})).status).toBe(404);
    expect((await t.call("GET", `/v1/callbacks/${pending.id}`, { token: s.tokens.edt2 })).body.status).toBe("awaiting_callback");
  });
});

// Its own register, so it passes alone and in any order (it came from a review of the landed code).
describe("an officer who is also an enquirer", () => {
  let t: TestApp;
  let s: Setup;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
    s = await setupAuthority(t, "REVA");
  });
  afterAll(() => t.close());

  it("an officer who is also an enquirer cannot answer their own enquiry", async () => {
    const both = await t.token({
      sub: "both-1",
      name: "Pat Both",
      roles: ["enquirer", "duty_officer"],
      authorities: ["REVA"],
      profession: "csc_social_worker",
      agency: "REVA Police",
    });
    const e = await enquire(t, both, enquiryBody("REVA", { givenNames: "Own", familyName: "Enquiry", dateOfBirth: "2015-05-05" }));
    expectProblem(await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: both }), 404);
    expect((await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
  });
});
