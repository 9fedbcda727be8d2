import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, queueItem, type Setup, setupAuthority } from "../support/enquiry";

let t: TestApp;
let s: Setup;
let other: Setup;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T20:00:00Z" });
  s = await setupAuthority(t, "CBA");
  other = await setupAuthority(t, "CBB");
});
afterAll(() => t.close());

const ask = (token = s.tokens.sergeant, extra: Record<string, unknown> = {}) =>
  enquire(t, token, enquiryBody("CBA", { givenNames: "Queue", familyName: "Child", dateOfBirth: "2014-04-04" }, extra));

describe("the call-back queue", () => {
  it("lists the officer's authorities' enquiries oldest first, and pages", async () => {
    // An authority of its own: the other tests leave CBA's enquiries in the queue.
    const q = await setupAuthority(t, "CBQ");
    const askQ = () =>
      enquire(t, q.tokens.sergeant, enquiryBody("CBQ", { givenNames: "Queue", familyName: "Child", dateOfBirth: "2014-04-04" }));
    const a = await askQ();
    const b = await askQ();
    const c = await askQ();
    const page1 = await t.call("GET", "/v1/callbacks?limit=2", { token: q.tokens.edt });
    expect(page1.body.items.map((i: { id: string }) => i.id)).toEqual([a.id, b.id]);
    const page2 = await t.call("GET", page1.body.next, { token: q.tokens.edt });
    expect(page2.body.items.map((i: { id: string }) => i.id)).toContain(c.id);
  });

  it("another authority's officer neither sees the enquiry nor can act on it (404, audited)", async () => {
    const e = await ask();
    expect(await queueItem(t, other.tokens.edt, e.id)).toBeUndefined();
    expectProblem(await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: other.tokens.edt }), 404);
    const log = await t.call("GET", "/v1/audit?userId=edt-CBB", { token: s.tokens.auditor });
    expect(log.body.items.map((x: { outcome: string; target: { id: string } | null }) => [x.outcome, x.target?.id])).toContainEqual([
      "refused_404",
      e.id,
    ]);
  });

  it("claim: again by the same officer is fine, another officer gets 409 naming who holds it", async () => {
    const e = await ask();
    expect((await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
    expect((await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
    expect(expectProblem(await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt2 }), 409).detail).toMatch(/Eddie Duty/);
    expectProblem(
      await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
        token: s.tokens.edt2,
        body: { numberDialled: "0121 496 0100", adviceGiven: "x" },
      }),
      409,
    );
    const claimed = await t.call("GET", "/v1/callbacks?status=claimed", { token: s.tokens.edt2 });
    expect(claimed.body.items.find((i: { id: string }) => i.id === e.id).claimedBy).toEqual({ userId: "edt-CBA", name: "Eddie Duty" });
  });

  it("two officers claiming at once: exactly one gets it", async () => {
    const e = await ask();
    const results = await Promise.all(
      [s.tokens.edt, s.tokens.edt2].map((tok) => t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: tok })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("completion needs the claim first (409) and cannot happen twice", async () => {
    const e = await ask();
    expectProblem(
      await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
        token: s.tokens.edt,
        body: { numberDialled: "0121 496 0100", adviceGiven: "x" },
      }),
      409,
    );
    await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    expect(
      (
        await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
          token: s.tokens.edt,
          body: { numberDialled: "0121 496 0100", adviceGiven: "Told not known" },
        })
      ).status,
    ).toBe(200);
    expectProblem(
      await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
        token: s.tokens.edt,
        body: { numberDialled: "0121 496 0100", adviceGiven: "again" },
      }),
      409,
    );
    expectProblem(await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt2 }), 409);
    expect((await queueItem(t, s.tokens.edt, e.id, "completed")).status).toBe("answered");
  });

  it("an agency with no recorded numbers cannot be called back until the designated manager records them", async () => {
    const unrecorded = await t.token({
      sub: "hv-1",
      name: "Helen Visitor",
      roles: ["enquirer"],
      profession: "health_visitor",
      agency: "Northside Health Visiting",
    });
    const e = await ask(unrecorded, { callbackNumber: "0113 496 0777" });
    expect(e.callbackNumberRecognised).toBe(false);
    await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    const p = expectProblem(
      await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
        token: s.tokens.edt,
        body: { numberDialled: "0113 496 0777", adviceGiven: "x" },
      }),
      422,
    );
    expect(p.detail).toMatch(/no recognised telephone numbers.*designated manager/);
    await t.call("POST", "/v1/agencies", {
      token: s.tokens.dm,
      body: { name: "northside health visiting", recognisedNumbers: ["0113 496 0777"] },
    });
    const item = await queueItem(t, s.tokens.edt, e.id, "claimed");
    expect(item).toMatchObject({ callbackNumberRecognised: true, recognisedNumbers: ["+441134960777"] });
    expect(
      (
        await t.call("POST", `/v1/callbacks/${e.id}/complete`, {
          token: s.tokens.edt,
          body: { numberDialled: "0113 496 0777", adviceGiven: "Told not known" },
        })
      ).status,
    ).toBe(200);
  });

  it("is for duty officers only", async () => {
    expectProblem(await t.call("GET", "/v1/callbacks", { token: s.tokens.sergeant }), 403);
    expectProblem(await t.call("GET", "/v1/callbacks", { token: s.tokens.sam }), 403);
    expectProblem(await t.call("GET", "/v1/callbacks?status=waiting", { token: s.tokens.edt }), 400);
  });
});

describe("one item, and the candidates of a possible match", () => {
  it("reads one item (audited), and for a possible match the officer holding it sees each candidate's identity and present address only", async () => {
    const child = await planChild(t, s, {
      givenNames: "Amelia Rose",
      familyName: "Hartley",
      dateOfBirth: "2016-04-09",
      addresses: [
        { line1: "3 Old Road", town: "Stafford", postcode: "ST17 4AA", from: "2015-01-01", to: "2018-12-31" },
        { line1: "12 High Street", town: "Stafford", postcode: "ST16 2LH", from: "2019-01-01", to: null },
      ],
    });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("CBA", { givenNames: "Millie", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
    );
    const one = await t.call("GET", `/v1/callbacks/${e.id}`, { token: s.tokens.edt });
    expect(one.body).toMatchObject({ id: e.id, reference: e.reference, status: "awaiting_callback", answer: { match: "possible" } });
    expectProblem(await t.call("GET", `/v1/callbacks/${e.id}`, { token: other.tokens.edt }), 404);
    // Not held yet: claim first.
    expectProblem(await t.call("GET", `/v1/callbacks/${e.id}/candidates`, { token: s.tokens.edt }), 409);
    await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    const cmp = await t.call("GET", `/v1/callbacks/${e.id}/candidates`, { token: s.tokens.edt });
    expect(cmp.status).toBe(200);
    expect(cmp.body.heldElsewhere).toBe(0);
    expect(cmp.body.enquiry.child).toMatchObject({ givenNames: "Millie", familyName: "Hartley" });
    const candidate = cmp.body.candidates.find((c: { childId: string }) => c.childId === child.id);
    expect(candidate).toMatchObject({
      givenNames: "Amelia Rose",
      dateOfBirth: "2016-04-09",
      reasons: expect.arrayContaining(["name:nickname"]),
    });
    expect(candidate.addresses).toEqual([{ line1: "12 High Street", line2: null, town: "Stafford", postcode: "ST16 2LH", current: true }]);
    // Another officer of the authority, not holding it, is told so.
    expectProblem(await t.call("GET", `/v1/callbacks/${e.id}/candidates`, { token: s.tokens.edt2 }), 409);
    const audit = await t.client.execute({
      sql: "SELECT subjects FROM audit_log WHERE action = 'callback.compare' AND target_id = ?",
      args: [e.id],
    });
    expect(JSON.parse(String(audit.rows[0]!.subjects))).toContain(child.id);
  });
});

describe("the list's items, as SQLite writes them", () => {
  it("are in every state exactly the item read on its own, in the contract's shape, and the list's audit names the same children", async () => {
    const { CallbackItemSchema } = await import("../../src/callbacks/callbacks.schemas");
    const child = await planChild(t, s, {
      givenNames: "Zoë",
      familyName: "O'Brien-Smith",
      dateOfBirth: "2015-02-03",
      aliases: [{ givenNames: "Zoe", familyName: "Smith" }],
    });
    const known = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "CBA",
        { givenNames: "Zoë", familyName: "O'Brien-Smith", dateOfBirth: "2015-02-03", sex: "female" },
        {
          addresses: [{ line1: "12 High Street", line2: 'Flat "B"', town: "Stafford", postcode: "ST16 2LH", current: true }],
          carers: [{ givenNames: "Ann", familyName: "O'Brien", relationship: "mother" }],
          reason: "Seen at A&E at 02:00 — bruising\nunexplained",
          callbackNumber: "0113 496 0999",
        },
      ),
    );
    const possible = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("CBA", { givenNames: "Zoe", familyName: "O'Brien-Smith", dateOfBirth: "2015-03-02" }),
    );
    const unknown = await enquire(
      t,
      s.tokens.head,
      enquiryBody("CBA", { givenNames: "Nobody", familyName: "Known", dateOfBirth: "2019-09-09" }),
    );
    await t.call("POST", `/v1/callbacks/${possible.id}/claim`, { token: s.tokens.edt });
    await t.call("POST", `/v1/callbacks/${unknown.id}/claim`, { token: s.tokens.edt });
    await t.call("POST", `/v1/callbacks/${unknown.id}/complete`, {
      token: s.tokens.edt,
      body: { numberDialled: "020 7946 0300", adviceGiven: "Told not known." },
    });

    for (const [status, id] of [
      ["pending", known.id],
      ["claimed", possible.id],
      ["completed", unknown.id],
    ] as const) {
      const res = await t.call("GET", `/v1/callbacks?status=${status}&limit=1000`, { token: s.tokens.edt });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const listed = res.body.items.find((i: { id: string }) => i.id === id);
      const alone = await t.call("GET", `/v1/callbacks/${id}`, { token: s.tokens.edt });
      expect(listed, `${status}: the list's item is the item`).toEqual(alone.body);
      for (const item of res.body.items)
        expect(CallbackItemSchema.safeParse(item).success, `${status}: ${item.reference} has the contract's shape`).toBe(true);
    }
    const knownItem = await queueItem(t, s.tokens.edt, known.id);
    expect(knownItem).toMatchObject({
      outOfHours: true,
      claimedBy: null,
      callbackNumberRecognised: false,
      recognisedNumbers: ["+441134960200"],
      answer: { match: "known", child: { id: child.id } },
    });
    expect(knownItem.enquiry.reason).toBe("Seen at A&E at 02:00 — bruising\nunexplained");
    const claimedItem = await queueItem(t, s.tokens.edt, possible.id, "claimed");
    expect(claimedItem).toMatchObject({ claimedBy: { userId: "edt-CBA", name: "Eddie Duty" }, answer: { match: "possible" } });

    const audit = await t.client.execute("SELECT subjects FROM audit_log WHERE action = 'callback.list' ORDER BY seq DESC LIMIT 3");
    const listedSubjects = audit.rows.flatMap((r) => JSON.parse(String(r.subjects)) as string[]);
    expect(listedSubjects, "the known child and the possible match's candidate are both recorded as read").toContain(child.id);
  });
});

// Its own register, so it passes alone and in any order (it came from a review of the landed code).
describe("the answer as of the call-back", () => {
  let t: TestApp;
  let s: Setup;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
    s = await setupAuthority(t, "REVA");
  });
  afterAll(() => t.close());

  it("the answer is brought up to date when the call-back is taken", async () => {
    const child = await planChild(t, s, { givenNames: "Stale", familyName: "Answer", dateOfBirth: "2013-02-02", addresses: [] });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("REVA", { givenNames: "Stale", familyName: "Answer", dateOfBirth: "2013-02-02" }),
    );
    const plan = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body.plans[0];
    await t.call("PATCH", `/v1/plans/${plan.id}`, { token: s.tokens.dm, body: { endDate: "2026-11-23", endReason: "no_longer_at_risk" } });
    const claimed = await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    expect(claimed.body.answer).toMatchObject({
      currentPlan: null,
      previousPlans: [{ startDate: "2026-06-01", endDate: "2026-11-23", categories: ["neglect"] }],
    });
  });

  it("a child not known at the enquiry but registered before the call-back is answered as known", async () => {
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("REVA", { givenNames: "Late", familyName: "Registered", dateOfBirth: "2012-02-02" }),
    );
    expect((await queueItem(t, s.tokens.edt, e.id)).answer.match).toBe("not_known");
    const child = await planChild(t, s, { givenNames: "Late", familyName: "Registered", dateOfBirth: "2012-02-02", addresses: [] });
    const claimed = await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
    expect(claimed.body.answer).toMatchObject({ match: "known", child: { id: child.id }, currentPlan: { categories: ["neglect"] } });
    const refs = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items.map(
      (n: { enquiry: { reference: string } }) => n.enquiry.reference,
    );
    expect(refs).toContain(e.reference);
  });
});
