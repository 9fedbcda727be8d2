import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../src/db/migrate";
import { createTestApp, expectProblem, type TestApp, tableChecksum } from "./support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "./support/enquiry";
import { handOver } from "./support/moves";

/**
 * An agency's recognised numbers (and contact email) are changed only by a manager of an
 * authority whose enquirers use it: the one whose manager recorded it, and each one its
 * enquirers have enquired of. Everyone else finds no such agency. Each change is audited under
 * every authority that uses the agency.
 */
let t: TestApp;
let a: Setup;
let b: Setup;
let c: Setup;
let policeA: string;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T20:00:00Z" });
  a = await setupAuthority(t, "AUA");
  b = await setupAuthority(t, "AUB");
  c = await setupAuthority(t, "AUC");
  policeA = (await t.call("GET", "/v1/agencies?limit=1000", { token: a.tokens.dm })).body.items.find(
    (x: { name: string }) => x.name === a.police,
  ).id;
});
afterAll(() => t.close());

const numbersOf = async (id: string) =>
  (await t.call("GET", "/v1/agencies?limit=1000", { token: a.tokens.dm })).body.items.find((x: { id: string }) => x.id === id)
    .recognisedNumbers;

const auditRows = async (agencyId: string, action: string) =>
  (
    await t.client.execute({
      sql: "SELECT authority FROM audit_log WHERE action = ? AND target_id = ? AND outcome = 'ok' ORDER BY authority",
      args: [action, agencyId],
    })
  ).rows.map((r) => r.authority);

describe("who may change an agency", () => {
  it("a manager of an authority that does not use the agency finds no such agency, and nothing changes", async () => {
    const before = await tableChecksum(t.client, ["audit_log", "audit_subjects", "request_counts", "rate_limits"]);
    const add = await t.call("POST", `/v1/agencies/${policeA}/numbers`, { token: c.tokens.dm, body: { number: "0121 496 0155" } });
    const remove = await t.call("DELETE", `/v1/agencies/${policeA}/numbers/+441214960100`, { token: c.tokens.dm });
    const patch = await t.call("PATCH", `/v1/agencies/${policeA}`, { token: c.tokens.dm, body: { contactEmail: "x@example.org" } });
    const unknown = await t.call("DELETE", "/v1/agencies/no-such-agency/numbers/+441214960100", { token: c.tokens.dm });
    for (const res of [add, remove, patch, unknown]) expectProblem(res, 404);
    // Nothing says whether the agency exists.
    expect(add.body.detail).toBe(unknown.body.detail);
    expect(await tableChecksum(t.client, ["audit_log", "audit_subjects", "request_counts", "rate_limits"])).toBe(before);
    expect(await numbersOf(policeA)).toEqual(["+441214960100"]);
  });

  it("an authority its enquirers enquire of uses it; each change is then audited under each user", async () => {
    expectProblem(await t.call("POST", `/v1/agencies/${policeA}/numbers`, { token: b.tokens.dm, body: { number: "0121 496 0156" } }), 404);
    // AUA's police sergeant enquires of AUB: AUB now uses AUA's police.
    await enquire(t, a.tokens.sergeant, enquiryBody("AUB", { givenNames: "Nobody", familyName: "Known", dateOfBirth: "2014-04-04" }));
    const added = await t.call("POST", `/v1/agencies/${policeA}/numbers`, { token: b.tokens.dm, body: { number: "0121 496 0156" } });
    expect(added.status).toBe(201);
    expect(added.body.recognisedNumbers).toEqual(["+441214960100", "+441214960156"]);
    expect(await auditRows(policeA, "agency.number.add")).toEqual(["AUA", "AUB"]);
    // Each authority's auditor sees it.
    for (const auditor of [a.tokens.auditor, b.tokens.auditor]) {
      const log = (await t.call("GET", "/v1/audit?userId=dm-AUB", { token: auditor })).body.items;
      expect(log.map((e: { action: string; target: { id: string } }) => [e.action, e.target?.id])).toContainEqual([
        "agency.number.add",
        policeA,
      ]);
    }
    const removed = await t.call("DELETE", `/v1/agencies/${policeA}/numbers/+441214960156`, { token: a.tokens.dm });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: policeA, recognisedNumbers: ["+441214960100"] });
    expect(await auditRows(policeA, "agency.number.remove")).toEqual(["AUA", "AUB"]);
    // A number the agency does not have (any more).
    expectProblem(await t.call("DELETE", `/v1/agencies/${policeA}/numbers/01214960156`, { token: a.tokens.dm }), 404);
    // Not a telephone number at all: a malformed path, as for any route's bad path parameter.
    expectProblem(await t.call("DELETE", `/v1/agencies/${policeA}/numbers/999`, { token: a.tokens.dm }), 400);

    const contact = await t.call("PATCH", `/v1/agencies/${policeA}`, {
      token: b.tokens.dm,
      body: { contactEmail: "liaison@aua-police.example.org" },
    });
    expect(contact.status).toBe(200);
    expect(contact.body.contactEmail).toBe("liaison@aua-police.example.org");
    expect(await auditRows(policeA, "agency.contact.update")).toEqual(["AUA", "AUB"]);
    expectProblem(await t.call("PATCH", `/v1/agencies/${policeA}`, { token: b.tokens.dm, body: { contactEmail: "nope" } }), 422);
  });

  it("an agency nobody uses is nobody's to change: the first manager to try does not take it", async () => {
    const made = await t.call("POST", "/v1/agencies", {
      token: a.tokens.dm,
      body: { name: "Legacy Ambulance Trust", recognisedNumbers: [] },
    });
    // As an agency recorded before agencies had users was left.
    await t.client.execute({ sql: "DELETE FROM agency_authorities WHERE agency_id = ?", args: [made.body.id] });
    const before = await numbersOf(made.body.id);
    for (const s of [c, a])
      expectProblem(
        await t.call("POST", `/v1/agencies/${made.body.id}/numbers`, { token: s.tokens.dm, body: { number: "0121 496 0177" } }),
        404,
      );
    expect(await numbersOf(made.body.id)).toEqual(before);
    // Migration 0023 gives it the authority its record was filed under.
    const sql = readFileSync(join(MIGRATIONS_FOLDER, "0023_plan_end_rules.sql"), "utf8");
    for (const statement of sql.split("--> statement-breakpoint"))
      if (!statement.trim().startsWith("CREATE INDEX")) await t.client.execute(statement);
    expect(
      (await t.call("POST", `/v1/agencies/${made.body.id}/numbers`, { token: a.tokens.dm, body: { number: "0121 496 0178" } })).status,
    ).toBe(201);
    expectProblem(
      await t.call("POST", `/v1/agencies/${made.body.id}/numbers`, { token: c.tokens.dm, body: { number: "0121 496 0179" } }),
      404,
    );
    expect(await auditRows(made.body.id, "agency.number.add")).toEqual(["AUA"]);
  });

  it("migration 0023 gives an agency a manager of several authorities recorded (filed under none) that manager's authorities", async () => {
    const two = await t.token({ sub: "dm-two", name: "Two Hats", roles: ["designated_manager"], authorities: ["AUA", "AUB"] });
    // Something the manager did for AUA, filed under it.
    const made = await t.call("POST", "/v1/children", {
      token: two,
      body: { authority: "AUA", givenNames: "Hat", familyName: "Trick", dateOfBirth: "2015-05-05", aliases: [], addresses: [] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // A refusal is filed under the authority of what was refused: AUC's, which the manager does not act for.
    const theirs = await t.call("POST", "/v1/children", {
      token: c.tokens.dm,
      body: { authority: "AUC", givenNames: "Not", familyName: "Theirs", dateOfBirth: "2015-05-05", aliases: [], addresses: [] },
    });
    expectProblem(await t.call("GET", `/v1/children/${theirs.body.id}`, { token: two }), 404);
    // A handover the manager settled is audited under the sending authority (AUC) too.
    const handed = await t.call("POST", "/v1/children", {
      token: c.tokens.dm,
      body: { authority: "AUC", givenNames: "Moving", familyName: "Across", dateOfBirth: "2015-05-05", aliases: [], addresses: [] },
    });
    await t.call("POST", `/v1/children/${handed.body.id}/plans`, {
      token: c.tokens.dm,
      body: { startDate: "2026-06-01", categories: ["neglect"] },
    });
    await handOver(
      t,
      c,
      a,
      handed.body.id,
      { outcome: "receiving_in_no_plan", decidedOn: "2026-11-23" },
      { moveDate: "2026-11-20", token: two },
    );
    const agency = await t.call("POST", "/v1/agencies", { token: two, body: { name: "Two Hats Agency", recognisedNumbers: [] } });
    expect(agency.status).toBe(201);
    await t.client.execute({ sql: "DELETE FROM agency_authorities WHERE agency_id = ?", args: [agency.body.id] });
    const sql = readFileSync(join(MIGRATIONS_FOLDER, "0023_plan_end_rules.sql"), "utf8");
    for (const statement of sql.split("--> statement-breakpoint"))
      if (!statement.trim().startsWith("CREATE INDEX")) await t.client.execute(statement);
    const patch = (token: string) =>
      t.call("PATCH", `/v1/agencies/${agency.body.id}`, { token, body: { contactEmail: "two@example.org" } });
    expect((await patch(two)).status).toBe(200);
    expect((await patch(a.tokens.dm)).status).toBe(200);
    expectProblem(await patch(c.tokens.dm), 404);
  });

  it("a manager acting for no authority the register holds cannot record an agency (403), so none is left for the first comer", async () => {
    const ghost = await t.token({ sub: "dm-ghost", name: "G", roles: ["designated_manager"], authorities: ["NOTYET"] });
    const before = await tableChecksum(t.client, ["audit_log", "audit_subjects", "request_counts", "rate_limits"]);
    expectProblem(
      await t.call("POST", "/v1/agencies", { token: ghost, body: { name: "Ghost Ambulance Trust", recognisedNumbers: ["0121 496 0990"] } }),
      403,
    );
    expect(await tableChecksum(t.client, ["audit_log", "audit_subjects", "request_counts", "rate_limits"])).toBe(before);
  });
});

describe("a number removed", () => {
  it("is no longer one a call-back can be completed to", async () => {
    const schoolA = (await t.call("GET", "/v1/agencies?limit=1000", { token: a.tokens.dm })).body.items.find(
      (x: { name: string }) => x.name === a.school,
    ).id;
    expect(
      (await t.call("POST", `/v1/agencies/${schoolA}/numbers`, { token: a.tokens.dm, body: { number: "020 7946 0311" } })).status,
    ).toBe(201);
    const ask = () =>
      enquire(
        t,
        a.tokens.head,
        enquiryBody("AUA", { givenNames: "Queue", familyName: "Child", dateOfBirth: "2014-04-04" }, { callbackNumber: "020 7946 0311" }),
      );
    const complete = async (id: string) => {
      expect((await t.call("POST", `/v1/callbacks/${id}/claim`, { token: a.tokens.edt })).status).toBe(200);
      return t.call("POST", `/v1/callbacks/${id}/complete`, {
        token: a.tokens.edt,
        body: { numberDialled: "020 7946 0311", adviceGiven: "Told not known" },
      });
    };
    const first = await ask();
    const second = await ask();
    expect((await complete(first.id)).status).toBe(200);

    const removed = await t.call("DELETE", `/v1/agencies/${schoolA}/numbers/+442079460311`, { token: a.tokens.dm });
    expect(removed.status).toBe(200);
    expect(removed.body.recognisedNumbers).toEqual(["+442079460300"]);
    const p = expectProblem(await complete(second.id), 422);
    expect(p.errors!.map((e) => e.path)).toEqual(["numberDialled"]);
  });
});
