import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authorityForPostcode } from "../../src/register/postcode-areas.service";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "../support/enquiry";
import { createChild, createWorker } from "../support/fixtures";

/**
 * The Pan Dorset note: one deployment holding several authorities, an out-of-hours team
 * acting for all of them. An enquiry giving a previous address in another authority's
 * postcode area, or naming it, is checked against each register, and each answers its own.
 */
let t: TestApp;
let dorset: Setup;
let bcp: Setup;
let edt: string;
let kw: { dorset: string; bcp: string };
// A fresh deployment for each test: one changes the professions BCP takes, and each counts
// the enquiries, notifications and considerations the file's enquiries made.
beforeEach(async () => {
  t = await createTestApp({ now: "2026-11-24T02:00:00Z" });
  dorset = await setupAuthority(t, "DORSET");
  bcp = await setupAuthority(t, "BCP");
  // The police force and hospital are shared: the enquirers belong to Dorset's agencies.
  expect(
    (await t.call("PUT", "/v1/authorities/DORSET/postcode-areas", { token: dorset.tokens.dm, body: { prefixes: ["DT", "SP7", "BH20"] } }))
      .body,
  ).toEqual({ prefixes: ["BH20", "DT", "SP7"] });
  expect(
    (await t.call("PUT", "/v1/authorities/BCP/postcode-areas", { token: bcp.tokens.dm, body: { prefixes: ["bh1", "BH 2", "BH8"] } })).body,
  ).toEqual({ prefixes: ["BH1", "BH2", "BH8"] });
  edt = await t.token({ sub: "edt-pan-dorset", name: "Pan Dorset EDT", roles: ["duty_officer"], authorities: ["DORSET", "BCP"] });

  // Lily was on a plan in Bournemouth (BCP) and now lives in Dorchester (Dorset), open case there.
  const dWorker = await createWorker(t, dorset.tokens.dm, "DORSET", { name: "Dora Worker", userId: "kw-dora" });
  const bWorker = await createWorker(t, bcp.tokens.dm, "BCP", { name: "Bea Worker", userId: "kw-bea" });
  kw = {
    dorset: await t.token({ sub: "kw-dora", roles: ["key_worker"], authorities: ["DORSET"] }),
    bcp: await t.token({ sub: "kw-bea", roles: ["key_worker"], authorities: ["BCP"] }),
  };
  const inDorset = await createChild(t, dorset.tokens.dm, "DORSET", {
    givenNames: "Lily",
    familyName: "Ford",
    dateOfBirth: "2017-03-03",
    aliases: [],
    addresses: [{ line1: "3 Bridge St", town: "Dorchester", postcode: "DT1 1AA", from: "2026-06-01" }],
  });
  await t.call("POST", `/v1/children/${inDorset.id}/cases`, {
    token: dorset.tokens.dm,
    body: { type: "child_in_need", openedOn: "2026-06-10", keyWorkerId: dWorker.id },
  });
  const inBcp = await createChild(t, bcp.tokens.dm, "BCP", {
    givenNames: "Lily",
    familyName: "Ford",
    dateOfBirth: "2017-03-03",
    aliases: [],
    addresses: [{ line1: "8 Sea Rd", town: "Bournemouth", postcode: "BH1 1BB", from: "2020-01-01", to: "2026-05-31" }],
  });
  await t.call("POST", `/v1/children/${inBcp.id}/cases`, {
    token: bcp.tokens.dm,
    body: { type: "child_protection", openedOn: "2025-01-10", keyWorkerId: bWorker.id },
  });
  await t.call("POST", `/v1/children/${inBcp.id}/plans`, {
    token: bcp.tokens.dm,
    body: { startDate: "2025-02-01", categories: ["neglect"] },
  });
});
afterEach(() => t.close());

const lily = (extra: Record<string, unknown> = {}) =>
  enquiryBody(
    "DORSET",
    { givenNames: "Lily", familyName: "Ford", dateOfBirth: "2017-03-03" },
    {
      addresses: [
        { line1: "3 Bridge St", town: "Dorchester", postcode: "DT1 1AA", current: true },
        { line1: "8 Sea Rd", town: "Bournemouth", postcode: "BH1 1BB" },
      ],
      ...extra,
    },
  );

describe("an enquiry across the authorities of a deployment", () => {
  it("is checked against the authority of a previous address too, each answering from its own register, in one queue for the out-of-hours team", async () => {
    const e = await enquire(t, dorset.tokens.sergeant, lily());
    expect(e.alsoCheckedWith).toEqual([{ authority: "BCP", id: expect.any(String), reference: expect.stringMatching(/^ENQ-/) }]);
    expect(e.notCheckedWith).toEqual([]);
    const bcpId = e.alsoCheckedWith[0]!.id;

    const queue = (await t.call("GET", "/v1/callbacks?limit=100", { token: edt })).body.items;
    const mine = queue.filter((i: { id: string }) => i.id === e.id || i.id === bcpId);
    expect(
      mine.map((i: { id: string; answer: { match: string; currentPlan: unknown; case: { status: string } } }) => [
        i.id === e.id ? "DORSET" : "BCP",
        i.answer.match,
        i.answer.currentPlan ? "on a plan" : "no plan",
        i.answer.case.status,
      ]),
    ).toEqual([
      ["DORSET", "known", "no plan", "open"],
      ["BCP", "known", "on a plan", "open"],
    ]);
    // Each authority's own duty officer sees only its own.
    const dorsetOnly = (await t.call("GET", "/v1/callbacks?limit=100", { token: dorset.tokens.edt })).body.items.map(
      (i: { id: string }) => i.id,
    );
    expect(dorsetOnly).toContain(e.id);
    expect(dorsetOnly).not.toContain(bcpId);

    // Each authority's key worker is told of their own child.
    const dn = (await t.call("GET", "/v1/notifications", { token: kw.dorset })).body.items;
    const bn = (await t.call("GET", "/v1/notifications", { token: kw.bcp })).body.items;
    expect(dn.map((n: { enquiry: { reference: string } }) => n.enquiry.reference)).toEqual([e.reference]);
    expect(bn.map((n: { enquiry: { reference: string } }) => n.enquiry.reference)).toEqual([e.alsoCheckedWith[0]!.reference]);
  });

  it("is checked against an authority the enquirer names, and counts once towards the fishing limit", async () => {
    const e = await enquire(
      t,
      dorset.tokens.nurse,
      enquiryBody(
        "DORSET",
        { givenNames: "Sam", familyName: "Nobody", dateOfBirth: "2019-09-09" },
        { alsoAuthorities: ["bcp"], callbackNumber: "0113 496 0200" },
      ),
    );
    expect(e.alsoCheckedWith.map((a: { authority: string }) => a.authority)).toEqual(["BCP"]);
    const n = await t.client.execute({
      sql: "SELECT count(*) AS n FROM enquiries WHERE enquirer_id = ? AND group_id IS NULL",
      args: ["nurse-DORSET"],
    });
    expect(Number(n.rows[0]!.n)).toBe(1);
  });

  it("opens a child-in-need consideration in each authority on a second enquiry about an unknown child", async () => {
    const unknown = { givenNames: "Nova", familyName: "Unseen", dateOfBirth: "2020-02-02" };
    const body = (extra: Record<string, unknown>) =>
      enquiryBody("DORSET", unknown, { addresses: [{ line1: "1 Quay", postcode: "BH8 8AA", current: true }], ...extra });
    const first = await enquire(t, dorset.tokens.sergeant, body({}));
    const second = await enquire(t, dorset.tokens.head, body({ callbackNumber: "020 7946 0300" }));
    expect(first.alsoCheckedWith.map((a: { authority: string }) => a.authority)).toEqual(["BCP"]);
    for (const s of [dorset, bcp]) {
      const open = (await t.call("GET", "/v1/cin-considerations?status=open", { token: s.tokens.dm })).body.items;
      expect(open).toHaveLength(1);
      expect(open[0].authority).toBe(s.code);
    }
    expect(second.alsoCheckedWith).toHaveLength(1);
  });

  it("is not checked against an authority that does not take the enquirer's profession, and says so; an unknown named authority is refused", async () => {
    await t.call("PUT", "/v1/authorities/BCP/professions", { token: bcp.tokens.dm, body: { codes: ["police_sergeant"] } });
    const e = await enquire(t, dorset.tokens.nurse, lily({ callbackNumber: "0113 496 0200" }));
    expect(e.alsoCheckedWith).toEqual([]);
    expect(e.notCheckedWith).toEqual([{ authority: "BCP", reason: expect.stringContaining("0121 496 0000") }]);
    const refusals = await t.client.execute(
      "SELECT authority, outcome FROM audit_log WHERE user_id = 'nurse-DORSET' AND outcome = 'refused_403'",
    );
    expect(refusals.rows.map((r) => r.authority)).toEqual(["BCP"]);
    const bad = await t.call("POST", "/v1/enquiries", { token: dorset.tokens.sergeant, body: lily({ alsoAuthorities: ["NOWHERE"] }) });
    expectProblem(bad, 422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: "alsoAuthorities.0" })]);
  });
});

describe("postcode areas", () => {
  it("finds the authority of a postcode written with or without its space, the district before the area", () => {
    const areas = [
      { code: "DORSET", prefixes: ["BH", "DT"] },
      { code: "BCP", prefixes: ["BH1", "BH8"] },
    ];
    expect(authorityForPostcode("BH1 1AA", areas)).toBe("BCP");
    expect(authorityForPostcode("bh11aa", areas)).toBe("BCP");
    expect(authorityForPostcode("BH20 4AA", areas)).toBe("DORSET");
    expect(authorityForPostcode("DT11AA", areas)).toBe("DORSET");
    expect(authorityForPostcode("ST16 2LH", areas)).toBeNull();
  });

  it("refuses something that is not a postcode area or district, and another authority's", async () => {
    const bad = await t.call("PUT", "/v1/authorities/DORSET/postcode-areas", {
      token: dorset.tokens.dm,
      body: { prefixes: ["DT", "not a postcode"] },
    });
    expectProblem(bad, 422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: "prefixes.1" })]);
    expectProblem(await t.call("PUT", "/v1/authorities/DORSET/postcode-areas", { token: bcp.tokens.dm, body: { prefixes: ["DT"] } }), 404);
  });
});
