import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableChecksum } from "./support/app";
import { enquire, enquiryBody, queueItem, type Setup, setupAuthority } from "./support/enquiry";

// People who may pose a risk of significant harm to children (seed 000 §2.153; api.md).
let t: TestApp;
let s: Setup;
let other: Setup;
// A fresh register for each test: they count people, alerts, linked enquiries and audit entries.
beforeEach(async () => {
  t = await createTestApp({ now: "2026-11-23T11:00:00Z" });
  s = await setupAuthority(t, "RSK");
  other = await setupAuthority(t, "RSX");
  await t.call("PUT", "/v1/authorities/RSK/delivery", {
    token: s.tokens.dm,
    body: { custodianEmail: "custodian@rsk.gov.uk", webhook: null },
  });
});
afterEach(() => t.close());

const person = (extra: Record<string, unknown> = {}) => ({
  authority: "RSK",
  givenNames: "Dean",
  familyName: "Cole",
  aliases: [{ familyName: "Coles" }],
  dateOfBirth: "1988-06-01",
  addresses: [
    { line1: "9 Canal Walk", postcode: "ST16 3AA", from: "2026-09-01", to: null },
    { line1: "1 Old Road", postcode: "ST17 1AA", from: "2020-01-01", to: "2026-08-31" },
  ],
  notifiedBy: { agency: "Staffordshire Police (MAPPA)", reference: "MAPPA-77", phone: "0121 496 0100" },
  summary: "Convicted of offences against children; moved into the area in September.",
  notifiedOn: "2026-09-05",
  reviewOn: "2026-11-01",
  ...extra,
});
const create = async (body = person()) => {
  const res = await t.call("POST", "/v1/people-posing-risk", { token: s.tokens.dm, body });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body as { id: string };
};
const alerts = async () =>
  (await t.call("GET", "/v1/alerts", { token: s.tokens.dm })).body.items as { kind: string; enquiryId: string; personId: string }[];

describe("people who may pose a risk", () => {
  it("are recorded, read, listed and changed by the designated manager, every read audited", async () => {
    const p = await create();
    const read = await t.call("GET", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm });
    expect(read.body).toMatchObject({
      id: p.id,
      authority: "RSK",
      givenNames: "Dean",
      notifiedBy: { agency: "Staffordshire Police (MAPPA)", reference: "MAPPA-77", phone: "+441214960100" },
      reviewOn: "2026-11-01",
      linkedEnquiries: 0,
    });
    expect(read.body.addresses.map((a: { current: boolean }) => a.current)).toEqual([true, false]);
    const listed = await t.call("GET", "/v1/people-posing-risk", { token: s.tokens.dm });
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(p.id);
    const patched = await t.call("PATCH", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm, body: { reviewOn: "2027-03-01" } });
    expect(patched.body.reviewOn).toBe("2027-03-01");
    const audit = await t.client.execute({
      sql: "SELECT action FROM audit_log WHERE target_id = ? OR action = 'person_posing_risk.list' ORDER BY seq",
      args: [p.id],
    });
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "person_posing_risk.create",
        "person_posing_risk.read",
        "person_posing_risk.list",
        "person_posing_risk.update",
      ]),
    );
  });

  it("are no one else's: other roles 403, another authority's manager 404 (audited), and nothing written", async () => {
    const p = await create();
    for (const token of [s.tokens.edt, s.tokens.sam, s.tokens.sergeant, s.tokens.auditor]) {
      expectProblem(await t.call("GET", `/v1/people-posing-risk/${p.id}`, { token }), 403);
      expectProblem(await t.call("GET", "/v1/people-posing-risk", { token }), 403);
      expectProblem(await t.call("POST", "/v1/people-posing-risk", { token, body: person() }), 403);
      expectProblem(await t.call("PATCH", `/v1/people-posing-risk/${p.id}`, { token, body: { summary: "x" } }), 403);
    }
    expectProblem(await t.call("GET", `/v1/people-posing-risk/${p.id}`, { token: other.tokens.dm }), 404);
    expectProblem(await t.call("PATCH", `/v1/people-posing-risk/${p.id}`, { token: other.tokens.dm, body: { summary: "x" } }), 404);
    expectProblem(await t.call("POST", "/v1/people-posing-risk", { token: other.tokens.dm, body: person() }), 403);
    expect((await t.call("GET", "/v1/people-posing-risk", { token: other.tokens.dm })).body.items).toEqual([]);
    const refused = await t.client.execute({
      sql: "SELECT outcome FROM audit_log WHERE user_id = 'dm-RSX' AND target_id = ?",
      args: [p.id],
    });
    expect(refused.rows.map((r) => r.outcome)).toEqual(["refused_404", "refused_404"]);
    const byRole = await t.client.execute({
      sql: "SELECT action, outcome, target_type FROM audit_log WHERE user_id = 'edt-RSK' AND target_id = ? ORDER BY seq",
      args: [p.id],
    });
    expect(
      byRole.rows.map((r) => [r.action, r.outcome, r.target_type]),
      "a 403 names the person tried for",
    ).toEqual([
      ["GET /v1/people-posing-risk/:id", "refused_403", "person_posing_risk"],
      ["PATCH /v1/people-posing-risk/:id", "refused_403", "person_posing_risk"],
    ]);
    expect((await t.call("GET", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm })).body.summary).not.toBe("x");
  });

  it("refuses malformed bodies with 422 naming the field, and changes nothing", async () => {
    const p = await create();
    const before = await tableChecksum(t.client, ["audit_log", "audit_subjects"]);
    for (const [body, path] of [
      [person({ givenNames: "" }), "givenNames"],
      [person({ notifiedBy: { agency: "X", phone: "not a number" } }), "notifiedBy.phone"],
      [person({ notifiedOn: "2027-01-01" }), "notifiedOn"],
      [person({ dateOfBirth: "1.6.88" }), "dateOfBirth"],
      [person({ risk: "high" }), ""],
      [person({ summary: undefined }), "summary"],
    ] as const) {
      const problem = expectProblem(await t.call("POST", "/v1/people-posing-risk", { token: s.tokens.dm, body }), 422);
      expect((problem.errors ?? []).map((e: { path: string }) => e.path).join(","), JSON.stringify(body).slice(0, 80)).toContain(path);
    }
    expectProblem(await t.call("PATCH", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm, body: {} }), 422);
    expectProblem(await t.call("PATCH", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm, body: { reviewOn: "soon" } }), 422);
    const early = expectProblem(
      await t.call("PATCH", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm, body: { reviewOn: "2020-01-01" } }),
      422,
    );
    expect(early.errors, "a review date alone is held to the recorded notification").toEqual([
      expect.objectContaining({ path: "reviewOn" }),
    ]);
    expect(await tableChecksum(t.client, ["audit_log", "audit_subjects"])).toBe(before);
  });
});

/** Reece Marlow, at 4 Lock Lane since October. */
const reece = () =>
  create(
    person({
      givenNames: "Reece",
      familyName: "Marlow",
      aliases: [],
      dateOfBirth: "1990-02-02",
      addresses: [{ line1: "4 Lock Lane", postcode: "ST18 4LL", from: "2026-10-01", to: null }],
    }),
  );

describe("an enquiry linked to a person who may pose a risk", () => {
  let p: { id: string };
  beforeEach(async () => {
    p = await reece();
  });

  it("by the present address: the manager is alerted (and mailed through the outbox), the item flagged, and the enquirer told nothing", async () => {
    const e = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "RSK",
        { givenNames: "Lily", familyName: "Unknown", dateOfBirth: "2021-01-01" },
        { addresses: [{ line1: "4 Lock Lane", postcode: "st18 4ll", current: true }] },
      ),
    );
    expect((await alerts()).filter((a) => a.enquiryId === e.id)).toEqual([
      expect.objectContaining({ kind: "enquiry_linked_to_person_posing_risk", enquiryId: e.id, personId: p.id }),
    ]);
    expect((await queueItem(t, s.tokens.edt, e.id)).personPosingRiskLinked).toBe(true);
    expect((await t.call("GET", `/v1/callbacks/${e.id}`, { token: s.tokens.edt })).body.personPosingRiskLinked).toBe(true);
    const outbox = await t.client.execute({ sql: "SELECT kind, payload FROM outbox WHERE kind = 'enquiry_linked_to_person_posing_risk'" });
    expect(outbox.rows.length).toBeGreaterThanOrEqual(1);
    expect(String(outbox.rows[0]!.payload)).not.toMatch(/Reece|Marlow|Lock Lane/);
    // Everything the enquirer can read, as the enquirer.
    const seen = JSON.stringify([
      (await t.call("GET", `/v1/enquiries/${e.id}`, { token: s.tokens.nurse })).body,
      (await t.call("GET", "/v1/enquiries", { token: s.tokens.nurse })).body,
    ]);
    expect(seen).not.toMatch(/Reece|Marlow|posing|risk/i);
    const { signInDev } = await import("./support/web");
    const desk = await signInDev(t, {
      userId: "nurse-RSK",
      name: "Nurse Ada Jones",
      roles: ["enquirer"],
      profession: "registered_nurse",
      agency: s.hospital,
    });
    for (const path of ["/enquiries", `/enquiries/${e.id}`]) {
      const page = await desk.get(path);
      expect(page.status, path).toBe(200);
      expect(page.html, path).not.toMatch(/Reece|Marlow|posing|Risk/);
    }
    expect((await t.call("GET", `/v1/people-posing-risk/${p.id}`, { token: s.tokens.dm })).body.linkedEnquiries).toBe(1);
  });

  it("by a carer with the person's names and date of birth; not by the name alone, a previous address or another authority's enquiry", async () => {
    const carer = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "RSK",
        { givenNames: "Max", familyName: "Unknown", dateOfBirth: "2020-05-05" },
        { carers: [{ givenNames: "Reece", familyName: "Marlow", dateOfBirth: "1990-02-02", relationship: "mum's partner" }] },
      ),
    );
    expect((await queueItem(t, s.tokens.edt, carer.id)).personPosingRiskLinked).toBe(true);
    const nameOnly = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "RSK",
        { givenNames: "Max", familyName: "Unknown", dateOfBirth: "2020-05-05" },
        { carers: [{ givenNames: "Reece", familyName: "Marlow" }] },
      ),
    );
    expect((await queueItem(t, s.tokens.edt, nameOnly.id)).personPosingRiskLinked).toBe(false);
    const oldAddress = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "RSK",
        { givenNames: "Max", familyName: "Unknown", dateOfBirth: "2020-05-05" },
        {
          addresses: [
            { line1: "4 Lock Lane", postcode: "ST18 4LL", current: false },
            { line1: "2 New Road", postcode: "ST16 1AA", current: true },
          ],
        },
      ),
    );
    expect((await queueItem(t, s.tokens.edt, oldAddress.id)).personPosingRiskLinked).toBe(false);
    const elsewhere = await enquire(
      t,
      other.tokens.nurse,
      enquiryBody(
        "RSX",
        { givenNames: "Max", familyName: "Unknown", dateOfBirth: "2020-05-05" },
        { addresses: [{ line1: "4 Lock Lane", postcode: "ST18 4LL", current: true }] },
      ),
    );
    expect((await queueItem(t, other.tokens.edt, elsewhere.id)).personPosingRiskLinked).toBe(false);
    expect((await alerts()).map((a) => a.enquiryId)).not.toContain(nameOnly.id);
  });
});

describe("the manager's figures and deadlines", () => {
  it("the Board's statistics count notifications received and enquiries linked, in the API and the CSV", async () => {
    // Two enquiries linked to Reece Marlow: by the present address and by a carer.
    await reece();
    await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "RSK",
        { givenNames: "Lily", familyName: "Unknown", dateOfBirth: "2021-01-01" },
        { addresses: [{ line1: "4 Lock Lane", postcode: "st18 4ll", current: true }] },
      ),
    );
    await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "RSK",
        { givenNames: "Max", familyName: "Unknown", dateOfBirth: "2020-05-05" },
        { carers: [{ givenNames: "Reece", familyName: "Marlow", dateOfBirth: "1990-02-02", relationship: "mum's partner" }] },
      ),
    );
    const stats = await t.call("GET", "/v1/stats?from=2026-09-01&to=2026-11-30&exact=true&authority=RSK", { token: s.tokens.dm });
    expect(stats.status).toBe(200);
    const notified = (await t.call("GET", "/v1/people-posing-risk?limit=100", { token: s.tokens.dm })).body.items.filter(
      (p: { notifiedOn: string }) => p.notifiedOn >= "2026-09-01",
    ).length;
    expect(stats.body.peoplePosingRisk).toEqual({
      notified,
      enquiriesLinked: (await alerts()).filter((a) => a.kind === "enquiry_linked_to_person_posing_risk").length,
    });
    expect(stats.body.peoplePosingRisk.enquiriesLinked).toBeGreaterThanOrEqual(2);
    const csv = await t.call("GET", "/v1/stats?from=2026-09-01&to=2026-11-30&exact=true&authority=RSK", {
      token: s.tokens.dm,
      headers: { accept: "text/csv" },
    });
    expect(String(csv.body)).toContain(`people_posing_risk,notified,,${notified}`);
  });

  it("an overdue review is on the deadlines list", async () => {
    // Dean Cole, due for review on 1 November.
    await create();
    const { signInDev, textOf } = await import("./support/web");
    const dm = await signInDev(t, { userId: "dm-RSK", name: "Dee Manager", roles: ["designated_manager"], authorities: ["RSK"] });
    const page = await dm.get("/deadlines");
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toMatch(/Reviews of people who may pose a risk.*1 November 2026.*Overdue/s);
    expect(textOf(page.html), "the page names nobody").not.toMatch(/Dean|Cole|Reece|Marlow/);
  });
});
