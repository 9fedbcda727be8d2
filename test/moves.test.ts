import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endPlansAtEighteen } from "../src/register/reached-18";
import { createTestApp, expectProblem, type TestApp, tableChecksum } from "./support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "./support/enquiry";
import { createAuthority } from "./support/fixtures";

/**
 * Moves between authorities (seed 004 §41, 62-71), through the API on a real database: the
 * receiving-in deadline in working days, the overdue list, the outcome, and a move out that
 * keeps the plan current until the receiving authority confirms.
 */
let t: TestApp;
let s: Setup;
let otherDm: string;
beforeAll(async () => {
  // Tuesday 15 December 2026, 10:00 in London.
  t = await createTestApp({ now: "2026-12-15T10:00:00Z" });
  s = await setupAuthority(t, "MOVES");
  otherDm = await t.token({ sub: "dm-elsewhere", name: "Elsie Manager", roles: ["designated_manager"], authorities: ["ELSEWHERE"] });
  await createAuthority(t, otherDm, "ELSEWHERE");
});
afterAll(() => t.close());

const moveIn = (extra: Record<string, unknown> = {}, child: Record<string, unknown> = {}) => ({
  authority: "MOVES",
  child: {
    givenNames: "Kai",
    familyName: "Okafor",
    dateOfBirth: "2018-07-30",
    addresses: [{ line1: "4 Canal Walk", town: "Stafford", postcode: "ST16 3AA", from: "2026-12-14" }],
    ...child,
  },
  moveDate: "2026-12-14",
  status: "actual",
  originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
  originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
  plan: { startDate: "2026-09-01", categories: ["emotional_abuse", "neglect"] },
  ...extra,
});

describe("a child on another authority's plan moves in", () => {
  it("is on the register at once with a temporary plan, and the receiving-in conference is due 15 working days after the move, past Christmas and New Year", async () => {
    const res = await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn() });
    expect(res.status).toBe(201);
    // Mon 14 Dec + 15 working days: 15-18, 21-24, (25, 28 bank holidays), 29-31, (1 Jan), 4-7 Jan.
    expect(res.body).toMatchObject({
      status: "actual",
      moveDate: "2026-12-14",
      receivingInConferenceDue: "2027-01-07",
      outcome: null,
      temporary: true,
    });

    const record = await t.call("GET", `/v1/children/${res.body.childId}`, { token: s.tokens.dm });
    expect(record.body.plans).toEqual([
      expect.objectContaining({
        id: res.body.planId,
        startDate: "2026-09-01",
        endDate: null,
        temporary: true,
        originatingAuthority: "Birmingham City Council",
        categories: ["emotional_abuse", "neglect"],
      }),
    ]);
    expect(record.body.movesIn).toEqual([
      expect.objectContaining({ id: res.body.id, originatingKeyWorker: { name: "Priya Shah", phone: "+441213032000" } }),
    ]);

    // An enquiry today is answered from the temporary plan, and says whose plan it is.
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("MOVES", { givenNames: "Kai", familyName: "Okafor", dateOfBirth: "2018-07-30" }),
    );
    const item = (await t.call("GET", "/v1/callbacks?limit=1000", { token: s.tokens.edt })).body.items.find(
      (i: { id: string }) => i.id === e.id,
    );
    expect(item.answer.currentPlan).toEqual({
      startDate: "2026-09-01",
      categories: ["emotional_abuse", "neglect"],
      temporary: true,
      originatingAuthority: {
        name: "Birmingham City Council",
        custodianPhone: "+441213031888",
        keyWorker: { name: "Priya Shah", phone: "+441213032000" },
      },
      movingTo: null,
    });
  });

  it("lists the conference as due, then overdue once the day has passed, soonest first and only for the manager's authorities", async () => {
    // An authority of its own, so that the list holds only this test's two moves.
    const d = await setupAuthority(t, "DEADL");
    const later = await t.call("POST", "/v1/moves-in", {
      token: d.tokens.dm,
      body: moveIn(
        { authority: "DEADL", moveDate: "2026-12-15" },
        { givenNames: "Zara", familyName: "Lee", dateOfBirth: "2019-02-02", addresses: [] },
      ),
    });
    expect(later.body.receivingInConferenceDue).toBe("2027-01-08");
    const sooner = await t.call("POST", "/v1/moves-in", { token: d.tokens.dm, body: moveIn({ authority: "DEADL" }) });
    expect(sooner.body.receivingInConferenceDue).toBe("2027-01-07");
    const due = await t.call("GET", "/v1/deadlines?status=due", { token: d.tokens.dm });
    expect(due.body.items.map((d: { due: string; kind: string }) => [d.kind, d.due])).toEqual([
      ["receiving_in_conference", "2027-01-07"],
      ["receiving_in_conference", "2027-01-08"],
    ]);
    expect((await t.call("GET", "/v1/deadlines", { token: otherDm })).body.items).toEqual([]);

    t.clock.set("2027-01-08T09:00:00Z");
    const overdue = await t.call("GET", "/v1/deadlines?status=overdue", { token: d.tokens.dm });
    expect(overdue.body.items).toEqual([expect.objectContaining({ due: "2027-01-07", overdue: true, moveId: sooner.body.id })]);
    expect((await t.call("GET", "/v1/deadlines?status=due", { token: d.tokens.dm })).body.items).toEqual([
      expect.objectContaining({ due: "2027-01-08", overdue: false, moveId: later.body.id }),
    ]);
    t.clock.set("2026-12-15T10:00:00Z");
  });

  it("ends the temporary status with the receiving-in conference's decision, once", async () => {
    t.clock.set("2027-01-06T10:00:00Z");
    const m = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: moveIn({ moveDate: "2027-01-04" }, { givenNames: "Ivy", familyName: "Marsh", dateOfBirth: "2017-05-05", addresses: [] }),
    });
    const decided = await t.call("POST", `/v1/moves-in/${m.body.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2027-01-06" },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ outcome: "receiving_in_plan", decidedOn: "2027-01-06", temporary: false });
    const record = (await t.call("GET", `/v1/children/${m.body.childId}`, { token: s.tokens.dm })).body;
    expect(record.plans).toEqual([expect.objectContaining({ endDate: null, temporary: false })]);
    expect(record.conferences).toEqual([expect.objectContaining({ type: "receiving_in", heldOn: "2027-01-06", outcome: "plan" })]);
    expect(
      (await t.call("GET", "/v1/deadlines", { token: s.tokens.dm })).body.items.map((d: { moveId: string }) => d.moveId),
    ).not.toContain(m.body.id);

    expectProblem(
      await t.call("POST", `/v1/moves-in/${m.body.id}/outcome`, {
        token: s.tokens.dm,
        body: { outcome: "receiving_in_no_plan", decidedOn: "2027-01-06" },
      }),
      409,
    );
    t.clock.set("2026-12-15T10:00:00Z");
  });

  it("ends the temporary plan when local procedures do not apply, and says why; enquiries then see a previous plan", async () => {
    const m = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: moveIn({}, { givenNames: "Noah", familyName: "Price", dateOfBirth: "2016-01-20", addresses: [] }),
    });
    const before = await tableChecksum(t.client, ["audit_log", "audit_subjects"]);
    const noReason = await t.call("POST", `/v1/moves-in/${m.body.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "procedures_not_applied", decidedOn: "2026-12-15" },
    });
    expectProblem(noReason, 422);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: "reason" })]);
    expect(await tableChecksum(t.client, ["audit_log", "audit_subjects"])).toBe(before);

    const ok = await t.call("POST", `/v1/moves-in/${m.body.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "procedures_not_applied", decidedOn: "2026-12-15", reason: "Looked after by Birmingham in a residential placement" },
    });
    expect(ok.body).toMatchObject({
      outcome: "procedures_not_applied",
      reason: "Looked after by Birmingham in a residential placement",
      temporary: false,
    });
    const record = (await t.call("GET", `/v1/children/${m.body.childId}`, { token: s.tokens.dm })).body;
    expect(record.plans).toEqual([expect.objectContaining({ endDate: "2026-12-15", endReason: "procedures_not_applied" })]);

    const e = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("MOVES", { givenNames: "Noah", familyName: "Price", dateOfBirth: "2016-01-20" }, { callbackNumber: "0113 496 0200" }),
    );
    const item = (await t.call("GET", "/v1/callbacks?limit=1000", { token: s.tokens.edt })).body.items.find(
      (i: { id: string }) => i.id === e.id,
    );
    expect(item.answer).toMatchObject({
      match: "known",
      currentPlan: null,
      previousPlans: [{ startDate: "2026-09-01", endDate: "2026-12-15", categories: ["emotional_abuse", "neglect"] }],
    });
  });

  it("moves the deadline with the move: an impending move, then the actual date", async () => {
    const m = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: moveIn(
        { status: "impending", moveDate: "2027-03-24" },
        { givenNames: "Leo", familyName: "Hart", dateOfBirth: "2015-10-10", addresses: [] },
      ),
    });
    // Wed 24 March 2027 + 15 working days: 25 Mar, (Good Friday 26th, Easter Monday 29th out), 30 Mar - 16 April.
    expect(m.body).toMatchObject({ status: "impending", receivingInConferenceDue: "2027-04-16" });
    const future = await t.call("PATCH", `/v1/moves-in/${m.body.id}`, { token: s.tokens.dm, body: { status: "actual" } });
    expectProblem(future, 422);
    t.clock.set("2027-03-31T10:00:00Z");
    const moved = await t.call("PATCH", `/v1/moves-in/${m.body.id}`, {
      token: s.tokens.dm,
      body: { status: "actual", moveDate: "2027-03-30" },
    });
    // Tue 30 March + 15 working days: 31 Mar - 20 April.
    expect(moved.body).toMatchObject({ status: "actual", moveDate: "2027-03-30", receivingInConferenceDue: "2027-04-20" });
    t.clock.set("2026-12-15T10:00:00Z");
  });

  it("counts the authority's own closure days out of the deadline", async () => {
    const put = await t.call("PUT", "/v1/authorities/MOVES/closure-days/2027-01-05", {
      token: s.tokens.dm,
      body: { reason: "Council offices closed for the move to Riverside" },
    });
    expect(put.status).toBe(201);
    expect((await t.call("GET", "/v1/authorities/MOVES/closure-days", { token: s.tokens.dm })).body.items).toEqual([
      { date: "2027-01-05", reason: "Council offices closed for the move to Riverside" },
    ]);
    const m = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: moveIn({}, { givenNames: "Ada", familyName: "Quinn", dateOfBirth: "2014-04-04", addresses: [] }),
    });
    expect(m.body.receivingInConferenceDue).toBe("2027-01-08");
    expectProblem(
      await t.call("PUT", "/v1/authorities/MOVES/closure-days/2026-12-25", { token: s.tokens.dm, body: { reason: "Christmas" } }),
      422,
    );
    expectProblem(
      await t.call("PUT", "/v1/authorities/MOVES/closure-days/2027-01-05", { token: otherDm, body: { reason: "Not yours" } }),
      404,
    );
    expect((await t.call("DELETE", "/v1/authorities/MOVES/closure-days/2027-01-05", { token: s.tokens.dm })).status).toBe(204);
    expectProblem(await t.call("DELETE", "/v1/authorities/MOVES/closure-days/2027-01-05", { token: s.tokens.dm }), 404);
  });

  it("refuses bad input with field errors and writes nothing; another authority's move is not found", async () => {
    const before = await tableChecksum(t.client, ["audit_log", "audit_subjects"]);
    const bad = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: moveIn({
        moveDate: "2026-13-01",
        plan: { startDate: "2026-09-01", categories: [] },
        originatingKeyWorker: { name: "", phone: "not a phone" },
      }),
    });
    expectProblem(bad, 422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "moveDate",
      "originatingKeyWorker.name",
      "originatingKeyWorker.phone",
      "plan.categories",
    ]);
    expectProblem(await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn({ moveDate: "2026-12-20" }) }), 422);
    expectProblem(await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn({ authority: "ELSEWHERE" }) }), 403);
    expect(await tableChecksum(t.client, ["audit_log", "audit_subjects"])).toBe(before);

    const mine = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: moveIn({}, { givenNames: "Eli", familyName: "Stone", dateOfBirth: "2013-03-03", addresses: [] }),
    });
    expectProblem(await t.call("GET", `/v1/moves-in/${mine.body.id}`, { token: otherDm }), 404);
    expectProblem(
      await t.call("POST", `/v1/moves-in/${mine.body.id}/outcome`, {
        token: otherDm,
        body: { outcome: "receiving_in_plan", decidedOn: "2026-12-15" },
      }),
      404,
    );
    expect((await t.call("GET", `/v1/moves-in/${mine.body.id}`, { token: s.tokens.dm })).body.outcome).toBeNull();
  });
});

describe("a child on a plan here moves to another authority", () => {
  it("keeps the plan current, and says so to enquirers, until the receiving authority confirms; then ends it with moved_authority", async () => {
    const child = await planChild(t, s, { givenNames: "Mia", familyName: "Rowe", dateOfBirth: "2017-08-08" });
    const move = await t.call("POST", `/v1/children/${child.id}/moves-out`, {
      token: s.tokens.dm,
      body: {
        moveDate: "2026-12-12",
        newAddress: { line1: "9 Abbey Road", town: "Derby", postcode: "de22 1aa" },
        receivingAuthority: { name: "Derby City Council", custodianPhone: "01332 640000" },
      },
    });
    expect(move.status).toBe(201);
    expect(move.body).toMatchObject({
      status: "awaiting_confirmation",
      newAddress: { postcode: "DE22 1AA" },
      receivingAuthority: { name: "Derby City Council", custodianPhone: "+441332640000" },
    });

    const record = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body;
    expect(record.plans).toEqual([expect.objectContaining({ endDate: null })]);
    expect(record.addresses.filter((a: { current: boolean }) => a.current)).toEqual([
      expect.objectContaining({ line1: "9 Abbey Road", from: "2026-12-12" }),
    ]);

    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("MOVES", { givenNames: "Mia", familyName: "Rowe", dateOfBirth: "2017-08-08" }),
    );
    const item = (await t.call("GET", "/v1/callbacks?limit=1000", { token: s.tokens.edt })).body.items.find(
      (i: { id: string }) => i.id === e.id,
    );
    expect(item.answer.currentPlan).toMatchObject({
      categories: ["neglect"],
      movingTo: { authority: "Derby City Council", moveDate: "2026-12-12" },
    });

    expectProblem(
      await t.call("POST", `/v1/children/${child.id}/moves-out`, {
        token: s.tokens.dm,
        body: {
          moveDate: "2026-12-13",
          newAddress: { line1: "1 Elsewhere" },
          receivingAuthority: { name: "Leicester", custodianPhone: "0116 454 1004" },
        },
      }),
      409,
    );
    expectProblem(
      await t.call("POST", `/v1/moves-out/${move.body.id}/confirmation`, {
        token: otherDm,
        body: { confirmedOn: "2026-12-15", outcome: "receiving_in_plan" },
      }),
      404,
    );

    const confirmed = await t.call("POST", `/v1/moves-out/${move.body.id}/confirmation`, {
      token: s.tokens.dm,
      body: { confirmedOn: "2026-12-15", outcome: "receiving_in_plan" },
    });
    expect(confirmed.body).toMatchObject({ status: "confirmed", confirmedOn: "2026-12-15", outcome: "receiving_in_plan" });
    const after = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body;
    expect(after.plans).toEqual([
      expect.objectContaining({ endDate: "2026-12-15", endReason: "moved_authority", categories: ["neglect"] }),
    ]);
    expectProblem(
      await t.call("POST", `/v1/moves-out/${move.body.id}/confirmation`, {
        token: s.tokens.dm,
        body: { confirmedOn: "2026-12-15", outcome: "receiving_in_plan" },
      }),
      409,
    );
  });

  it("is not a move out for a child with no current plan", async () => {
    const child = await planChild(t, s, { givenNames: "Ben", familyName: "Ash", dateOfBirth: "2012-12-12" });
    const plan = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body.plans[0];
    await t.call("PATCH", `/v1/plans/${plan.id}`, { token: s.tokens.dm, body: { endDate: "2026-12-01", endReason: "no_longer_at_risk" } });
    const res = await t.call("POST", `/v1/children/${child.id}/moves-out`, {
      token: s.tokens.dm,
      body: {
        moveDate: "2026-12-12",
        newAddress: { line1: "9 Abbey Road" },
        receivingAuthority: { name: "Derby City Council", custodianPhone: "01332 640000" },
      },
    });
    expectProblem(res, 409);
    // The hand-made end reasons do not include the one kept for moves in.
    expectProblem(
      await t.call("PATCH", `/v1/plans/${plan.id}`, {
        token: s.tokens.dm,
        body: { endDate: "2026-12-01", endReason: "procedures_not_applied" },
      }),
      422,
    );
  });
});

describe("a move between two authorities of this deployment", () => {
  it("hands the record over when the receiving authority records its outcome, keeping both authorities' plans, without a copy", async () => {
    t.clock.set("2026-12-15T10:00:00Z");
    const south = await setupAuthority(t, "SOUTHD");
    const child = await planChild(t, s, { givenNames: "Otto", familyName: "Vale", dateOfBirth: "2014-04-14" });
    const childrenBefore = Number((await t.client.execute("SELECT count(*) AS n FROM children")).rows[0]!.n);

    const out = await t.call("POST", `/v1/children/${child.id}/moves-out`, {
      token: s.tokens.dm,
      body: {
        moveDate: "2026-12-14",
        newAddress: { line1: "2 Harbour Row", town: "Southport", postcode: "PR8 1AA" },
        receivingAuthority: { name: "SOUTHD County Council", custodianPhone: "0121 496 0000", code: "southd" },
      },
    });
    expect(out.status).toBe(201);
    expect(out.body.receivingAuthority.code).toBe("SOUTHD");
    // The sending authority cannot settle it: the receiving authority's outcome does.
    expectProblem(
      await t.call("POST", `/v1/moves-out/${out.body.id}/confirmation`, {
        token: s.tokens.dm,
        body: { confirmedOn: "2026-12-15", outcome: "receiving_in_plan" },
      }),
      409,
    );

    const deadlines = (await t.call("GET", "/v1/deadlines", { token: south.tokens.dm })).body.items;
    expect(deadlines).toEqual([
      expect.objectContaining({ kind: "receiving_in_conference", childId: child.id, due: "2027-01-07", authority: "SOUTHD" }),
    ]);
    const moveIn = (await t.call("GET", `/v1/moves-in/${deadlines[0].moveId}`, { token: south.tokens.dm })).body;
    expect(moveIn).toMatchObject({
      handoverOf: out.body.id,
      originatingAuthority: { name: "MOVES County Council" },
      originatingKeyWorker: { name: "Sam Patel" },
    });

    // Until the outcome, the receiving authority answers about the child from the sending authority's plan.
    const meanwhile = await enquire(
      t,
      south.tokens.nurse,
      enquiryBody("SOUTHD", { givenNames: "Otto", familyName: "Vale", dateOfBirth: "2014-04-14" }, { callbackNumber: "0113 496 0200" }),
    );
    const meanwhileItem = (await t.call("GET", "/v1/callbacks?limit=1000", { token: south.tokens.edt })).body.items.find(
      (i: { id: string }) => i.id === meanwhile.id,
    );
    expect(meanwhileItem.answer).toMatchObject({
      match: "known",
      currentPlan: {
        categories: ["neglect"],
        temporary: true,
        // The sending authority of this deployment: its First Response number, and its key worker.
        originatingAuthority: {
          name: "MOVES County Council",
          custodianPhone: "+441214960000",
          keyWorker: { name: "Sam Patel", phone: "+441214960001" },
        },
      },
    });

    const decided = await t.call("POST", `/v1/moves-in/${moveIn.id}/outcome`, {
      token: south.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2026-12-15" },
    });
    expect(decided.status).toBe(200);

    const record = (await t.call("GET", `/v1/children/${child.id}`, { token: south.tokens.dm })).body;
    expect(record.authority).toBe("SOUTHD");
    expect(record.plans).toEqual([
      expect.objectContaining({ authority: "MOVES", endDate: "2026-12-15", endReason: "moved_authority", categories: ["neglect"] }),
      expect.objectContaining({ authority: "SOUTHD", startDate: "2026-12-15", endDate: null, temporary: false, categories: ["neglect"] }),
    ]);
    expect(record.conferences).toEqual([expect.objectContaining({ type: "receiving_in", heldOn: "2026-12-15", outcome: "plan" })]);
    expect(record.cases).toEqual([expect.objectContaining({ status: "closed", closedOn: "2026-12-15" })]);
    expect(record.movesOut).toEqual([expect.objectContaining({ status: "confirmed", confirmedOn: "2026-12-15" })]);
    expect(Number((await t.client.execute("SELECT count(*) AS n FROM children")).rows[0]!.n)).toBe(childrenBefore);

    // The sending authority no longer holds the child; its auditor still sees the handover.
    expectProblem(await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm }), 404);
    const log = await t.call("GET", `/v1/audit?childId=${child.id}`, { token: s.tokens.auditor });
    expect(log.body.items).toContainEqual(expect.objectContaining({ action: "child.handover", authority: "MOVES" }));

    // Enquiries: the receiving authority answers from its own plan; the sending one says only
    // that the child was on its plan and has moved, and nothing of the receiving authority's.
    const there = await enquire(
      t,
      south.tokens.sergeant,
      enquiryBody("SOUTHD", { givenNames: "Otto", familyName: "Vale", dateOfBirth: "2014-04-14" }),
    );
    const item = (await t.call("GET", "/v1/callbacks?limit=1000", { token: south.tokens.edt })).body.items.find(
      (i: { id: string }) => i.id === there.id,
    );
    expect(item.answer).toMatchObject({
      match: "known",
      currentPlan: { startDate: "2026-12-15", categories: ["neglect"], temporary: false },
    });
    const here = await enquire(
      t,
      s.tokens.head,
      enquiryBody("MOVES", { givenNames: "Otto", familyName: "Vale", dateOfBirth: "2014-04-14" }, { callbackNumber: "020 7946 0300" }),
    );
    const hereItem = (await t.call("GET", "/v1/callbacks?limit=1000", { token: s.tokens.edt })).body.items.find(
      (i: { id: string }) => i.id === here.id,
    );
    expect(hereItem.answer).toMatchObject({
      match: "known",
      currentPlan: null,
      previousPlans: [{ startDate: "2026-06-01", endDate: "2026-12-15", categories: ["neglect"] }],
      case: { status: "closed", keyWorker: null },
      householdInformation: null,
      movedTo: { authority: "SOUTHD County Council", on: "2026-12-15" },
    });
    // Nobody at the receiving authority is notified of the sending authority's enquiry.
    const southSam = await t.token({ sub: "kw-sam-SOUTHD", roles: ["key_worker"], authorities: ["SOUTHD"] });
    expect(
      (await t.call("GET", "/v1/notifications", { token: southSam })).body.items.map(
        (n: { enquiry: { reference: string } }) => n.enquiry.reference,
      ),
    ).not.toContain(here.reference);

    // Each authority's Board figures keep its own plan.
    const stats = (authority: Setup) => t.call("GET", "/v1/stats?from=2026-12-01&to=2026-12-31&exact=true", { token: authority.tokens.dm });
    expect((await stats(s)).body.register.plansEndedByReason.moved_authority).toBeGreaterThanOrEqual(1);
    expect((await stats(south)).body.register).toMatchObject({ plansStarted: 1, plansEndedByReason: { moved_authority: 0 } });
  });

  it("settles a handover of an impending move whose plan ended meanwhile, and moves the child to the new address", async () => {
    t.clock.set("2026-12-15T10:00:00Z");
    const south = await setupAuthority(t, "SOUTHE");
    const child = await planChild(t, s, {
      givenNames: "Quin",
      familyName: "Yarrow",
      dateOfBirth: "2008-12-20",
      addresses: [{ line1: "5 Old Lane", town: "Stafford", postcode: "ST16 2AA", from: "2019-01-01", to: null }],
    });
    const out = await t.call("POST", `/v1/children/${child.id}/moves-out`, {
      token: s.tokens.dm,
      body: {
        moveDate: "2026-12-21",
        newAddress: { line1: "7 New Quay", town: "Southport", postcode: "PR8 2BB" },
        receivingAuthority: { name: "SOUTHE County Council", custodianPhone: "0121 496 0000", code: "SOUTHE" },
      },
    });
    expect(out.status).toBe(201);
    const southDm = south.tokens.dm;
    const moveIn = (await t.call("GET", "/v1/deadlines", { token: southDm })).body.items.find(
      (d: { childId: string }) => d.childId === child.id,
    );
    // Quin turns 18 on 20 December: the sending plan ends by itself before the outcome.
    t.clock.set("2026-12-22T10:00:00Z");
    await endPlansAtEighteen(t.store, t.clock);
    const decided = await t.call("POST", `/v1/moves-in/${moveIn.moveId}/outcome`, {
      token: southDm,
      body: { outcome: "receiving_in_no_plan", decidedOn: "2026-12-22" },
    });
    expect(decided.status).toBe(200);
    const record = (await t.call("GET", `/v1/children/${child.id}`, { token: southDm })).body;
    expect(record.authority).toBe("SOUTHE");
    expect(record.plans).toEqual([expect.objectContaining({ authority: "MOVES", endDate: "2026-12-20", endReason: "reached_18" })]);
    expect(record.addresses.filter((a: { current: boolean }) => a.current)).toEqual([
      expect.objectContaining({ line1: "7 New Quay", from: "2026-12-21" }),
    ]);
    t.clock.set("2026-12-15T10:00:00Z");
  });

  it("refuses an unknown receiving authority code, and the child's own", async () => {
    const child = await planChild(t, s, { givenNames: "Pia", familyName: "Wren", dateOfBirth: "2013-03-13" });
    const body = (code: string) => ({
      moveDate: "2026-12-14",
      newAddress: { line1: "1 Road" },
      receivingAuthority: { name: "X", custodianPhone: "0121 496 0000", code },
    });
    const unknown = await t.call("POST", `/v1/children/${child.id}/moves-out`, { token: s.tokens.dm, body: body("NOWHERE") });
    expectProblem(unknown, 422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: "receivingAuthority.code" })]);
    expectProblem(await t.call("POST", `/v1/children/${child.id}/moves-out`, { token: s.tokens.dm, body: body("MOVES") }), 422);
  });
});
