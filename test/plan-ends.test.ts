import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/db/migrate";
import type { Ctx } from "../src/domain/ctx";
import { runImport } from "../src/import/importer";
import { endPlansAtEighteen } from "../src/register/reached-18";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "./support/app";
import { planChild, type Setup, setupAuthority } from "./support/enquiry";
import { createChild } from "./support/fixtures";
import { moveIn, moveInBody, moveOut } from "./support/moves";

/**
 * Seed 004 §47 (and §41, §71): when a plan ends, every agency represented at the conference that
 * led to it is told, and the health and education contact points specifically, through the
 * outbox, in the transaction that ends the plan; a message names the plan, never the child.
 */
let t: TestApp;
let s: Setup;
const agency = { police: "", hospital: "", school: "", probation: "" };
beforeAll(async () => {
  t = await createTestApp({ now: "2026-12-16T10:00:00Z" });
  s = await setupAuthority(t, "ENDS");
  const probation = await t.call("POST", "/v1/agencies", {
    token: s.tokens.dm,
    body: { name: "ENDS Probation", recognisedNumbers: [], contactEmail: "probation@ends.example.org" },
  });
  expect(probation.status).toBe(201);
  expect(probation.body.contactEmail).toBe("probation@ends.example.org");
  const items = (await t.call("GET", "/v1/agencies", { token: s.tokens.dm })).body.items as { id: string; name: string }[];
  for (const [key, name] of [
    ["police", s.police],
    ["hospital", s.hospital],
    ["school", s.school],
    ["probation", "ENDS Probation"],
  ] as const)
    agency[key] = items.find((a) => a.name === name)!.id;
  for (const [key, email] of [
    ["police", "cp-liaison@police.example.org"],
    ["hospital", "safeguarding@hospital.example.org"],
  ] as const) {
    const res = await t.call("PATCH", `/v1/agencies/${agency[key]}`, { token: s.tokens.dm, body: { contactEmail: email } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.contactEmail).toBe(email);
  }
  // The school's contact is left unset: it is not written to.
  const put = await t.call("PUT", "/v1/authorities/ENDS/delivery", {
    token: s.tokens.dm,
    body: {
      custodianEmail: "custodian@ends.gov.uk",
      webhook: null,
      healthContactEmail: "health-cp@icb.example.org",
      educationContactEmail: "education-cp@ends.gov.uk",
    },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
});
afterAll(() => t.close());

const messages = async (planId: string) =>
  (
    await t.client.execute({
      sql: "SELECT channel, recipient, payload FROM outbox WHERE kind = 'plan_ended' AND source_id LIKE ? || ':%' ORDER BY recipient",
      args: [planId],
    })
  ).rows.map((r) => ({ channel: String(r.channel), recipient: String(r.recipient), payload: JSON.parse(String(r.payload)) }));

const recipients = async (planId: string) => (await messages(planId)).map((m) => m.recipient);

const conference = (childId: string, body: Record<string, unknown>) =>
  t.call("POST", `/v1/children/${childId}/conferences`, { token: s.tokens.dm, body: { type: "initial", outcome: "plan", ...body } });

const planOf = async (childId: string) => (await t.call("GET", `/v1/children/${childId}`, { token: s.tokens.dm })).body.plans.at(-1);

describe("the health and education contact points (delivery settings)", () => {
  it("are shown, kept when a PUT leaves them out, cleared with null, and a bad one is named", async () => {
    const get = async () => (await t.call("GET", "/v1/authorities/ENDS/delivery", { token: s.tokens.dm })).body;
    expect(await get()).toMatchObject({
      healthContactEmail: "health-cp@icb.example.org",
      educationContactEmail: "education-cp@ends.gov.uk",
    });
    const kept = await t.call("PUT", "/v1/authorities/ENDS/delivery", {
      token: s.tokens.dm,
      body: { custodianEmail: "custodian@ends.gov.uk", webhook: null },
    });
    expect(kept.body).toMatchObject({ healthContactEmail: "health-cp@icb.example.org", educationContactEmail: "education-cp@ends.gov.uk" });
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await t.call("PUT", "/v1/authorities/ENDS/delivery", {
        token: s.tokens.dm,
        body: { custodianEmail: null, webhook: null, healthContactEmail: "not an email" },
      }),
      422,
    );
    expect(p.errors!.map((e) => e.path)).toEqual(["healthContactEmail"]);
    expect(await tableCounts(t.client)).toEqual(before);
    expect(await get()).toMatchObject({ custodianEmail: "custodian@ends.gov.uk", healthContactEmail: "health-cp@icb.example.org" });
  });
});

describe("conferences name the agencies represented", () => {
  it("stores them and shows them on the child's record; an unknown agency is named by its position and nothing is written", async () => {
    const child = await planChild(t, s, { givenNames: "Rosa", familyName: "Quill", dateOfBirth: "2015-01-01" });
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await conference(child.id, { heldOn: "2026-05-28", agenciesRepresented: [agency.police, "no-such-agency"] }),
      422,
    );
    expect(p.errors).toEqual([{ path: "agenciesRepresented.1", message: "no agency no-such-agency" }]);
    expect(await tableCounts(t.client)).toEqual(before);

    const made = await conference(child.id, { heldOn: "2026-05-28", agenciesRepresented: [agency.police, agency.hospital] });
    expect(made.status).toBe(201);
    expect(made.body.agenciesRepresented).toEqual([agency.police, agency.hospital]);
    const record = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body;
    expect(record.conferences).toEqual([
      expect.objectContaining({ id: made.body.id, agenciesRepresented: [agency.police, agency.hospital].sort() }),
    ]);
  });
});

describe("a plan's end by hand", () => {
  it("refuses moved_authority, naming the move-out route, and changes nothing", async () => {
    const child = await planChild(t, s, { givenNames: "Theo", familyName: "Marsh", dateOfBirth: "2014-02-02" });
    const plan = await planOf(child.id);
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await t.call("PATCH", `/v1/plans/${plan.id}`, { token: s.tokens.dm, body: { endDate: "2026-12-01", endReason: "moved_authority" } }),
      422,
    );
    expect(p.errors!.map((e) => e.path)).toEqual(["endReason"]);
    expect(p.detail).toContain("POST /v1/children/{id}/moves-out");
    expect(p.detail).toContain("POST /v1/moves-out/{id}/confirmation");
    expect(await tableCounts(t.client)).toEqual(before);
    expect((await planOf(child.id)).endDate).toBeNull();
  });

  it("tells each agency at the conference that led to the plan, and health and education, once each, never naming the child", async () => {
    const child = await planChild(t, s, { givenNames: "Wilhelmina", familyName: "Ottaway", dateOfBirth: "2013-03-03" });
    // An earlier plan conference, the one that led to the plan (on or before its start), and a review after the start.
    expect((await conference(child.id, { heldOn: "2026-01-10", agenciesRepresented: [agency.probation] })).status).toBe(201);
    expect(
      (await conference(child.id, { heldOn: "2026-05-28", agenciesRepresented: [agency.police, agency.hospital, agency.school] })).status,
    ).toBe(201);
    expect((await conference(child.id, { type: "review", heldOn: "2026-09-01", agenciesRepresented: [agency.probation] })).status).toBe(
      201,
    );
    const plan = await planOf(child.id);
    expect(await messages(plan.id)).toEqual([]);

    const ended = await t.call("PATCH", `/v1/plans/${plan.id}`, {
      token: s.tokens.dm,
      body: { endDate: "2026-12-01", endReason: "no_longer_at_risk" },
    });
    expect(ended.status).toBe(200);
    const sent = await messages(plan.id);
    // The school has no contact email, probation was not at the conference that led to the plan.
    expect(sent.map((m) => m.recipient)).toEqual([
      "cp-liaison@police.example.org",
      "education-cp@ends.gov.uk",
      "health-cp@icb.example.org",
      "safeguarding@hospital.example.org",
    ]);
    expect(sent.every((m) => m.channel === "email")).toBe(true);
    const text = JSON.stringify(sent);
    for (const detail of ["Wilhelmina", "Ottaway", "2013-03-03", child.id, "High Street", "ST16"]) expect(text).not.toContain(detail);
    expect(sent[0]!.payload).toMatchObject({ reference: `PLAN-${plan.id}`, link: expect.any(String) });
    expect(sent[0]!.payload.text).toContain(`PLAN-${plan.id}`);
  });
});

describe("a plan's end by the other routes", () => {
  it("the move-out confirmation tells them", async () => {
    const child = await planChild(t, s, { givenNames: "Ivo", familyName: "Penrose", dateOfBirth: "2012-04-04" });
    await conference(child.id, { heldOn: "2026-06-01", agenciesRepresented: [agency.police] });
    const move = await t.call("POST", `/v1/children/${child.id}/moves-out`, {
      token: s.tokens.dm,
      body: {
        moveDate: "2026-12-12",
        newAddress: { line1: "9 Abbey Road", town: "Derby", postcode: "de22 1aa" },
        receivingAuthority: { name: "Derby City Council", custodianPhone: "01332 640000" },
      },
    });
    expect(move.status).toBe(201);
    const plan = await planOf(child.id);
    expect(await messages(plan.id)).toEqual([]);
    const confirmed = await t.call("POST", `/v1/moves-out/${move.body.id}/confirmation`, {
      token: s.tokens.dm,
      body: { confirmedOn: "2026-12-15", outcome: "receiving_in_plan" },
    });
    expect(confirmed.status).toBe(200);
    expect(await recipients(plan.id)).toEqual(["cp-liaison@police.example.org", "education-cp@ends.gov.uk", "health-cp@icb.example.org"]);
  });

  it("while a move out waits on the receiving authority, the plan is not ended as no longer at risk by hand (422), but a fact ends it", async () => {
    const child = await planChild(t, s, { givenNames: "Wren", familyName: "Penrose", dateOfBirth: "2012-04-04" });
    const move = await moveOut(t, s, child.id);
    const plan = await planOf(child.id);
    const before = await tableCounts(t.client);
    const refused = expectProblem(
      await t.call("PATCH", `/v1/plans/${plan.id}`, {
        token: s.tokens.dm,
        body: { endDate: "2026-12-14", endReason: "no_longer_at_risk" },
      }),
      422,
    );
    expect(refused.detail).toContain(`/v1/moves-out/${move.id}/confirmation`);
    expect(await tableCounts(t.client)).toEqual(before);
    const left = await t.call("PATCH", `/v1/plans/${plan.id}`, {
      token: s.tokens.dm,
      body: { endDate: "2026-12-14", endReason: "left_uk" },
    });
    expect(left.status).toBe(200);
  });

  it("a handover's outcome (a move within the deployment) tells the sending authority's agencies and contacts", async () => {
    const receiving = await setupAuthority(t, "ENDSR");
    const child = await planChild(t, s, { givenNames: "Lars", familyName: "Holm", dateOfBirth: "2012-06-06" });
    await conference(child.id, { heldOn: "2026-06-01", agenciesRepresented: [agency.hospital, agency.police] });
    const plan = await planOf(child.id);
    const move = await t.call("POST", `/v1/children/${child.id}/moves-out`, {
      token: s.tokens.dm,
      body: {
        moveDate: "2026-12-12",
        newAddress: { line1: "1 Quay Street", town: "Poole", postcode: "BH15 1HA" },
        receivingAuthority: { name: "ENDSR County Council", custodianPhone: "0121 496 0000", code: "ENDSR" },
      },
    });
    expect(move.status).toBe(201);
    const due = (await t.call("GET", "/v1/deadlines", { token: receiving.tokens.dm })).body.items.find(
      (d: { childId: string }) => d.childId === child.id,
    );
    const outcome = await t.call("POST", `/v1/moves-in/${due.moveId}/outcome`, {
      token: receiving.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2026-12-15" },
    });
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    // The record is the receiving authority's now, with its own plan.
    const record = (await t.call("GET", `/v1/children/${child.id}`, { token: receiving.tokens.dm })).body;
    expect(record.plans.map((p: { authority: string; endReason: string | null }) => [p.authority, p.endReason])).toEqual([
      ["ENDS", "moved_authority"],
      ["ENDSR", null],
    ]);
    expect(await recipients(plan.id)).toEqual([
      "cp-liaison@police.example.org",
      "education-cp@ends.gov.uk",
      "health-cp@icb.example.org",
      "safeguarding@hospital.example.org",
    ]);
  });

  it("the reached-18 job tells them, and a second run writes nothing more", async () => {
    const child = await planChild(t, s, { givenNames: "Oona", familyName: "Strand", dateOfBirth: "2008-12-14" });
    await conference(child.id, { heldOn: "2026-05-30", agenciesRepresented: [agency.hospital] });
    const plan = await planOf(child.id);
    expect((await endPlansAtEighteen(t.store, t.clock)).ended).toBeGreaterThanOrEqual(1);
    expect(await planOf(child.id)).toMatchObject({ endDate: "2026-12-14", endReason: "reached_18" });
    expect(await recipients(plan.id)).toEqual([
      "education-cp@ends.gov.uk",
      "health-cp@icb.example.org",
      "safeguarding@hospital.example.org",
    ]);
    await endPlansAtEighteen(t.store, t.clock);
    expect(await recipients(plan.id)).toHaveLength(3);
  });

  it("a temporary plan ended because procedures do not apply tells health and education (no conference here led to it)", async () => {
    const res = await t.call("POST", "/v1/moves-in", {
      token: s.tokens.dm,
      body: {
        authority: "ENDS",
        child: { givenNames: "Kai", familyName: "Okafor", dateOfBirth: "2018-07-30", addresses: [] },
        moveDate: "2026-12-14",
        status: "actual",
        originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
        originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
        plan: { startDate: "2026-09-01", categories: ["neglect"] },
      },
    });
    expect(res.status).toBe(201);
    const outcome = await t.call("POST", `/v1/moves-in/${res.body.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "procedures_not_applied", decidedOn: "2026-12-15", reason: "Returned to Birmingham" },
    });
    expect(outcome.status).toBe(200);
    expect(await recipients(res.body.planId)).toEqual(["education-cp@ends.gov.uk", "health-cp@icb.example.org"]);
  });

  it("an import that ends a current plan tells them; conference agencies come through the import, an unknown one refused", async () => {
    const line = (plan: Record<string, unknown>, agencies: string[]) => ({
      authority: "ENDS",
      externalId: "LCS-ENDS-1",
      givenNames: "Nell",
      familyName: "Varga",
      dateOfBirth: "2011-05-05",
      plans: [{ startDate: "2026-06-10", categories: ["neglect"], ...plan }],
      conferences: [{ type: "initial", heldOn: "2026-06-10", outcome: "plan", agenciesRepresented: agencies }],
    });
    const post = (l: unknown) =>
      t.call("POST", "/v1/import", {
        token: s.tokens.dm,
        raw: `${JSON.stringify(l)}\n`,
        headers: { "content-type": "application/x-ndjson" },
      });
    const before = await tableCounts(t.client);
    const bad = expectProblem(await post(line({}, [agency.hospital, "no-such-agency"])), 422);
    expect(bad.errors!.map((e) => e.path)).toEqual(["line 1: conferences.0.agenciesRepresented.1"]);
    expect(await tableCounts(t.client)).toEqual(before);

    expect((await post(line({}, [agency.hospital]))).status).toBe(200);
    const found = (await t.call("GET", "/v1/children?q=Nell Varga", { token: s.tokens.dm })).body.items[0];
    const record = (await t.call("GET", `/v1/children/${found.id}`, { token: s.tokens.dm })).body;
    expect(record.conferences.map((c: { agenciesRepresented: string[] }) => c.agenciesRepresented)).toEqual([[agency.hospital]]);
    const planId = record.plans[0].id;
    expect(await messages(planId)).toEqual([]);

    expect((await post(line({ endDate: "2026-12-10", endReason: "no_longer_at_risk" }, [agency.hospital]))).status).toBe(200);
    expect(await recipients(planId)).toEqual([
      "education-cp@ends.gov.uk",
      "health-cp@icb.example.org",
      "safeguarding@hospital.example.org",
    ]);
  });

  it("an authority with no contacts configured, and agencies without emails: the plan ends and nothing is written to the outbox", async () => {
    const other = await setupAuthority(t, "ENDSX");
    const child = await createChild(t, other.tokens.dm, "ENDSX", { givenNames: "Pip", familyName: "Lowe", aliases: [] });
    await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: other.tokens.dm,
      body: { startDate: "2026-06-01", categories: ["neglect"] },
    });
    const items = (await t.call("GET", "/v1/agencies?limit=1000", { token: other.tokens.dm })).body.items as { id: string; name: string }[];
    await t.call("POST", `/v1/children/${child.id}/conferences`, {
      token: other.tokens.dm,
      body: {
        type: "initial",
        heldOn: "2026-06-01",
        outcome: "plan",
        agenciesRepresented: [items.find((a) => a.name === other.police)!.id],
      },
    });
    const plan = (await t.call("GET", `/v1/children/${child.id}`, { token: other.tokens.dm })).body.plans[0];
    const ended = await t.call("PATCH", `/v1/plans/${plan.id}`, {
      token: other.tokens.dm,
      body: { endDate: "2026-12-01", endReason: "died" },
    });
    expect(ended.status).toBe(200);
    expect(await messages(plan.id)).toEqual([]);
  });
});

describe("a temporary plan (moved in) and the receiving-in conference", () => {
  const mover = (givenNames: string, dateOfBirth = "2018-07-30") =>
    moveIn(t, s.tokens.dm, moveInBody("ENDS", { givenNames, familyName: "Mover", dateOfBirth }));
  const deadlines = async () =>
    (await t.call("GET", "/v1/deadlines?status=all", { token: s.tokens.dm })).body.items.map((d: { moveId: string }) => d.moveId);

  it("is not ended as no longer at risk by hand: the conference's outcome decides that (422 naming it), and nothing changes", async () => {
    const m = await mover("Tessa");
    const before = await tableCounts(t.client);
    const res = expectProblem(
      await t.call("PATCH", `/v1/plans/${m.planId}`, {
        token: s.tokens.dm,
        body: { endDate: "2026-12-15", endReason: "no_longer_at_risk" },
      }),
      422,
    );
    expect(res.detail).toContain(`/v1/moves-in/${m.id}/outcome`);
    expect(await tableCounts(t.client)).toEqual(before);
    expect(await deadlines()).toContain(m.id);
  });

  it("ended by a fact (the child died), its move in is settled: the deadline goes, and no outcome can be recorded over it", async () => {
    const m = await mover("Ula");
    const ended = await t.call("PATCH", `/v1/plans/${m.planId}`, {
      token: s.tokens.dm,
      body: { endDate: "2026-12-15", endReason: "died" },
    });
    expect(ended.status).toBe(200);
    expect(await deadlines()).not.toContain(m.id);
    const move = (await t.call("GET", `/v1/moves-in/${m.id}`, { token: s.tokens.dm })).body;
    expect(move).toMatchObject({ outcome: "procedures_not_applied", decidedOn: "2026-12-15" });
    const late = await t.call("POST", `/v1/moves-in/${m.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "receiving_in_no_plan", decidedOn: "2026-12-16" },
    });
    expect(expectProblem(late, 409).detail).toContain("already settled");
    expect(await recipients(m.planId)).toEqual(["education-cp@ends.gov.uk", "health-cp@icb.example.org"]);
  });

  it("one ended before migration 0023 (its move in left unsettled) is settled by it", async () => {
    const m = await mover("Wanda");
    await t.client.execute({ sql: "UPDATE plans SET end_date = '2026-12-15', end_reason = 'left_uk' WHERE id = ?", args: [m.planId] });
    expect(await deadlines()).toContain(m.id);
    const sql = readFileSync(join(MIGRATIONS_FOLDER, "0023_plan_end_rules.sql"), "utf8");
    for (const statement of sql.split("--> statement-breakpoint"))
      if (!statement.trim().startsWith("CREATE INDEX")) await t.client.execute(statement);
    expect(await deadlines()).not.toContain(m.id);
    expect((await t.call("GET", `/v1/moves-in/${m.id}`, { token: s.tokens.dm })).body).toMatchObject({
      outcome: "procedures_not_applied",
      decidedOn: "2026-12-15",
      reason: "the temporary plan ended (left_uk)",
    });
  });

  it("ended at 18 by the job, its move in is settled too", async () => {
    const m = await mover("Vera", "2008-12-15");
    await endPlansAtEighteen(t.store, t.clock);
    expect(await planOf(m.childId)).toMatchObject({ endDate: "2026-12-15", endReason: "reached_18" });
    expect(await deadlines()).not.toContain(m.id);
  });

  it("made this authority's own: the agencies at the receiving-in conference are told when it ends", async () => {
    const m = await mover("Rhea");
    const unknown = await t.call("POST", `/v1/moves-in/${m.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2026-12-15", agenciesRepresented: ["no-such-agency"] },
    });
    expect(expectProblem(unknown, 422).errors!.map((e) => e.path)).toEqual(["agenciesRepresented.0"]);
    const outcome = await t.call("POST", `/v1/moves-in/${m.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2026-12-15", agenciesRepresented: [agency.police] },
    });
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    const record = (await t.call("GET", `/v1/children/${m.childId}`, { token: s.tokens.dm })).body;
    expect(record.conferences.map((c: { type: string; agenciesRepresented: string[] }) => [c.type, c.agenciesRepresented])).toEqual([
      ["receiving_in", [agency.police]],
    ]);
    const ended = await t.call("PATCH", `/v1/plans/${m.planId}`, {
      token: s.tokens.dm,
      body: { endDate: "2026-12-16", endReason: "no_longer_at_risk" },
    });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect(await recipients(m.planId)).toEqual(["cp-liaison@police.example.org", "education-cp@ends.gov.uk", "health-cp@icb.example.org"]);
  });

  it("a receiving-in conference recorded by hand after the outcome counts as the one that led to the plan", async () => {
    const m = await mover("Sian");
    await t.call("POST", `/v1/moves-in/${m.id}/outcome`, {
      token: s.tokens.dm,
      body: { outcome: "receiving_in_plan", decidedOn: "2026-12-15" },
    });
    await conference(m.childId, { type: "receiving_in", heldOn: "2026-12-15", agenciesRepresented: [agency.hospital] });
    await t.call("PATCH", `/v1/plans/${m.planId}`, { token: s.tokens.dm, body: { endDate: "2026-12-16", endReason: "no_longer_at_risk" } });
    expect(await recipients(m.planId)).toContain("safeguarding@hospital.example.org");
  });
});

describe("an import's plans", () => {
  const post = (l: unknown) =>
    t.call("POST", "/v1/import", {
      token: s.tokens.dm,
      raw: `${JSON.stringify(l)}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
  // The importer itself, so that a move can be recorded between the checking and the writing of a file.
  const importer = (): Ctx => ({
    store: t.store,
    clock: t.clock,
    requestId: "test-import-race",
    config: t.config,
    principal: { userId: "dm-ENDS", name: "Dee", roles: ["designated_manager"], profession: null, agency: null, authorities: ["ENDS"] },
  });
  const line = (externalId: string, extra: Record<string, unknown>) => ({
    authority: "ENDS",
    externalId,
    givenNames: "Ines",
    familyName: externalId,
    dateOfBirth: "2011-05-05",
    ...extra,
  });

  it("cannot end a current plan as moved_authority (only a move out's confirmation does); a plan that ended so before it came here can", async () => {
    const plan = (extra: Record<string, unknown>) => ({ plans: [{ startDate: "2026-06-10", categories: ["neglect"], ...extra }] });
    expect((await post(line("LCS-MOVED", plan({})))).status).toBe(200);
    const before = await tableCounts(t.client);
    const bad = expectProblem(await post(line("LCS-MOVED", plan({ endDate: "2026-12-10", endReason: "moved_authority" }))), 422);
    expect(bad.errors!.map((e) => e.path)).toEqual(["line 1: plans.0.endReason"]);
    expect(await tableCounts(t.client)).toEqual(before);
    const history = { plans: [{ startDate: "2024-01-10", endDate: "2025-02-01", endReason: "moved_authority", categories: ["neglect"] }] };
    expect((await post(line("LCS-MOVED-BEFORE", history))).status).toBe(200);
  });

  it("cannot find no longer needed a plan a move waits on (a move out unconfirmed, a move in unsettled), nor make a temporary plan its own", async () => {
    const plan = (extra: Record<string, unknown>) => ({ plans: [{ startDate: "2026-06-10", categories: ["neglect"], ...extra }] });
    expect((await post(line("LCS-MOVING", plan({})))).status).toBe(200);
    const id = (await t.call("GET", "/v1/children?q=Ines LCS-MOVING", { token: s.tokens.dm })).body.items[0].id;
    await moveOut(t, s, id);
    const moved = await moveIn(
      t,
      s.tokens.dm,
      moveInBody("ENDS", { externalId: "LCS-TEMP", givenNames: "Ines", familyName: "LCS-TEMP", dateOfBirth: "2011-05-05" }),
    );
    const temporary = (extra: Record<string, unknown>) => ({
      plans: [
        { startDate: "2026-09-01", categories: ["neglect"], temporary: true, originatingAuthority: "Birmingham City Council", ...extra },
      ],
    });
    const before = await tableCounts(t.client);
    const bad = expectProblem(
      await t.call("POST", "/v1/import", {
        token: s.tokens.dm,
        raw: `${[
          line("LCS-MOVING", plan({ endDate: "2026-12-14", endReason: "no_longer_at_risk" })),
          line("LCS-TEMP", temporary({ endDate: "2026-12-15", endReason: "no_longer_at_risk" })),
          line("LCS-TEMP", temporary({ temporary: false })),
        ]
          .map((l) => JSON.stringify(l))
          .join("\n")}\n`,
        headers: { "content-type": "application/x-ndjson" },
      }),
      422,
    );
    expect(bad.errors!.map((e) => e.path)).toEqual(["line 1: plans.0.endReason", "line 2: plans.0.endReason", "line 3: plans.0.temporary"]);
    expect(await tableCounts(t.client)).toEqual(before);
    // A fact still ends it, and the move in is settled.
    expect((await post(line("LCS-TEMP", temporary({ endDate: "2026-12-15", endReason: "left_uk" })))).status).toBe(200);
    expect((await t.call("GET", `/v1/moves-in/${moved.id}`, { token: s.tokens.dm })).body.outcome).toBe("procedures_not_applied");
  });

  it("refuses a batch that would end a plan a move out recorded while the import ran waits on, and keeps the plan", async () => {
    for (const id of ["LCS-RACE1", "LCS-RACE2"])
      expect((await post(line(id, { plans: [{ startDate: "2026-06-10", categories: ["neglect"] }] }))).status).toBe(200);
    const childId = (await t.call("GET", "/v1/children?q=Ines LCS-RACE2", { token: s.tokens.dm })).body.items[0].id;
    let passes = 0;
    async function* read() {
      passes++;
      yield JSON.stringify(line("LCS-RACE1", { plans: [{ startDate: "2026-06-10", categories: ["neglect", "emotional_abuse"] }] }));
      if (passes === 2) {
        await moveOut(t, s, childId);
      }
      yield JSON.stringify(
        line("LCS-RACE2", {
          plans: [{ startDate: "2026-06-10", categories: ["neglect"], endDate: "2026-12-14", endReason: "no_longer_at_risk" }],
        }),
      );
    }
    await expect(runImport(importer(), read, { batchSize: 1000 })).rejects.toMatchObject({ code: "conflict" });
    expect(passes).toBe(2);
    expect(await planOf(childId)).toMatchObject({ endDate: null, endReason: null });
  });

  it("refuses a batch that would make its own a temporary plan whose move in was recorded while the import ran", async () => {
    expect((await post(line("LCS-RACE0", { plans: [{ startDate: "2026-06-10", categories: ["neglect"] }] }))).status).toBe(200);
    let passes = 0;
    let moveId = "";
    async function* read() {
      passes++;
      yield JSON.stringify(line("LCS-RACE0", { plans: [{ startDate: "2026-06-10", categories: ["neglect", "emotional_abuse"] }] }));
      if (passes === 2) {
        moveId = (
          await moveIn(
            t,
            s.tokens.dm,
            moveInBody("ENDS", { externalId: "LCS-RACET", givenNames: "Ines", familyName: "LCS-RACET", dateOfBirth: "2011-05-05" }),
          )
        ).id;
      }
      yield JSON.stringify(line("LCS-RACET", { plans: [{ startDate: "2026-09-01", categories: ["neglect"], temporary: false }] }));
    }
    await expect(runImport(importer(), read, { batchSize: 1000 })).rejects.toMatchObject({ code: "conflict" });
    const move = (await t.call("GET", `/v1/moves-in/${moveId}`, { token: s.tokens.dm })).body;
    expect(move.outcome).toBeNull();
    const child = (await t.call("GET", `/v1/children/${move.childId}`, { token: s.tokens.dm })).body;
    expect(child.plans.map((p: { temporary: boolean }) => p.temporary)).toEqual([true]);
  });

  it("a plan the case system reopens and ends again is told of again", async () => {
    const plan = (extra: Record<string, unknown>) => ({
      plans: [{ startDate: "2026-06-10", categories: ["neglect"], ...extra }],
      conferences: [{ type: "initial", heldOn: "2026-06-10", outcome: "plan", agenciesRepresented: [agency.police] }],
    });
    expect((await post(line("LCS-REOPEN", plan({})))).status).toBe(200);
    expect((await post(line("LCS-REOPEN", plan({ endDate: "2026-12-01", endReason: "no_longer_at_risk" })))).status).toBe(200);
    const id = (await t.call("GET", "/v1/children?q=Ines LCS-REOPEN", { token: s.tokens.dm })).body.items[0].id;
    const planId = (await planOf(id)).id;
    expect(await recipients(planId)).toEqual(["cp-liaison@police.example.org", "education-cp@ends.gov.uk", "health-cp@icb.example.org"]);
    expect((await post(line("LCS-REOPEN", plan({})))).status).toBe(200);
    expect((await post(line("LCS-REOPEN", plan({ endDate: "2026-12-12", endReason: "died" })))).status).toBe(200);
    expect(await recipients(planId)).toHaveLength(6);
  });

  it("refuses a line repeating a conference (same type, day and outcome), naming it, and writes nothing", async () => {
    const c = (agencies: string[]) => ({ type: "initial", heldOn: "2026-06-11", outcome: "plan", agenciesRepresented: agencies });
    const before = await tableCounts(t.client);
    const bad = expectProblem(await post(line("LCS-TWICE", { conferences: [c([agency.police]), c([agency.hospital])] })), 422);
    expect(bad.errors!.map((e) => e.path)).toEqual(["line 1: conferences.1"]);
    expect(await tableCounts(t.client)).toEqual(before);
  });
});
