import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "../support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "../support/enquiry";

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  // Monday 23 November 2026, 10:00 in London: office hours.
  t = await createTestApp({ now: "2026-11-23T10:00:00Z" });
  s = await setupAuthority(t, "SUBA");
});
afterAll(() => t.close());

const body = (extra: Record<string, unknown> = {}) =>
  enquiryBody("SUBA", { givenNames: "Amy", familyName: "Smith", dateOfBirth: "2015-03-02" }, extra);

describe("who may enquire (seed 004 §58)", () => {
  it("refuses a profession outside the list with 403 naming First Response's number, records the refusal, and writes nothing else", async () => {
    const pc = await t.token({ sub: "pc-1", name: "PC Lee", roles: ["enquirer"], profession: "police_constable", agency: "SUBA Police" });
    const before = await tableCounts(t.client);
    const p = expectProblem(await t.call("POST", "/v1/enquiries", { token: pc, body: body() }), 403);
    expect(p.detail).toContain("0121 496 0000");
    expect(p.detail).toMatch(/First Response/);
    expect(await tableCounts(t.client)).toEqual(before);
    const { rows } = await t.client.execute("SELECT action, outcome, authority, detail FROM audit_log WHERE user_id = 'pc-1'");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "POST /v1/enquiries", outcome: "refused_403", authority: "SUBA" });
    expect(JSON.parse(String(rows[0]!.detail))).toMatchObject({ profession: "police_constable", agency: "SUBA Police" });
  });

  it("refuses a member of the public and a login with no profession", async () => {
    const pub = await t.token({ sub: "pub-1", roles: ["enquirer"], profession: "member_of_public" });
    const none = await t.token({ sub: "none-1", roles: ["enquirer"] });
    expectProblem(await t.call("POST", "/v1/enquiries", { token: pub, body: body() }), 403);
    expect(expectProblem(await t.call("POST", "/v1/enquiries", { token: none, body: body() }), 403).detail).toMatch(/no profession/);
  });

  it("follows the authority's own list once the designated manager changes it", async () => {
    const paramedic = await t.token({ sub: "para-1", roles: ["enquirer"], profession: "paramedic", agency: "SUBA Hospital" });
    expectProblem(await t.call("POST", "/v1/enquiries", { token: paramedic, body: body() }), 403);
    await t.call("PUT", "/v1/authorities/SUBA/professions", { token: s.tokens.dm, body: { codes: ["police_sergeant", "paramedic"] } });
    expect((await t.call("POST", "/v1/enquiries", { token: paramedic, body: body({ callbackNumber: "0113 496 0200" }) })).status).toBe(201);
    expectProblem(await t.call("POST", "/v1/enquiries", { token: s.tokens.nurse, body: body() }), 403);
    await t.call("PUT", "/v1/authorities/SUBA/professions", {
      token: s.tokens.dm,
      body: { codes: ["police_sergeant", "registered_nurse", "head_teacher", "paramedic"] },
    });
  });

  it("is for enquirers: other roles get 403", async () => {
    expectProblem(await t.call("POST", "/v1/enquiries", { token: s.tokens.edt, body: body() }), 403);
  });
});

describe("recording the enquiry", () => {
  it("gives increasing ENQ references, records the enquirer, and keeps the contact sheet as given", async () => {
    const a = await enquire(t, s.tokens.sergeant, body());
    const b = await enquire(t, s.tokens.sergeant, body({ reason: "Second concern" }));
    expect(Number(b.reference.slice(4))).toBe(Number(a.reference.slice(4)) + 1);
    expect(a).toMatchObject({
      status: "awaiting_callback",
      receivedAt: "2026-11-23T10:00:00.000Z",
      outOfHours: false,
      callbackNumberRecognised: true,
    });
    const { rows } = await t.client.execute("SELECT name, profession, agency FROM enquirers WHERE user_id = 'sgt-SUBA'");
    expect(rows[0]).toMatchObject({ name: "Sgt Kim Rowe", profession: "police_sergeant", agency: "SUBA Police" });
    const mine = await t.call("GET", `/v1/enquiries/${b.id}`, { token: s.tokens.sergeant });
    expect(mine.body).toMatchObject({
      reason: "Second concern",
      callbackNumber: "+441214960100",
      child: { givenNames: "Amy", familyName: "Smith", dateOfBirth: "2015-03-02" },
    });
  });

  it("says when the call-back number is not one of the agency's recognised numbers, or the agency is not recorded", async () => {
    expect((await enquire(t, s.tokens.sergeant, body({ callbackNumber: "020 7946 0999" }))).callbackNumberRecognised).toBe(false);
    const stranger = await t.token({
      sub: "gp-1",
      name: "Dr Who",
      roles: ["enquirer"],
      profession: "registered_medical_practitioner",
      agency: "Unrecorded Surgery",
    });
    await t.call("PUT", "/v1/authorities/SUBA/professions", {
      token: s.tokens.dm,
      body: { codes: ["police_sergeant", "registered_nurse", "head_teacher", "registered_medical_practitioner"] },
    });
    expect((await enquire(t, stranger, body({ callbackNumber: "0113 496 0999" }))).callbackNumberRecognised).toBe(false);
  });

  it("sets outOfHours from the authority's office hours in Europe/London", async () => {
    t.clock.set("2026-11-23T17:30:00Z");
    expect((await enquire(t, s.tokens.sergeant, body())).outOfHours).toBe(true);
    t.clock.set("2026-12-28T11:00:00Z"); // the Boxing Day substitute bank holiday
    expect((await enquire(t, s.tokens.sergeant, body())).outOfHours).toBe(true);
    t.clock.set("2026-11-23T10:00:00Z");
  });

  it.each([
    ["no date of birth and no address", { child: { givenNames: "Amy", familyName: "Smith", aliases: [] } }, "child.dateOfBirth"],
    ["no family name", { child: { givenNames: "Amy", aliases: [], dateOfBirth: "2015-03-02" } }, "child.familyName"],
    [
      "a date that does not exist",
      { child: { givenNames: "Amy", familyName: "Smith", aliases: [], dateOfBirth: "2023-02-29" } },
      "child.dateOfBirth",
    ],
    [
      "a date of birth in the future",
      { child: { givenNames: "Amy", familyName: "Smith", aliases: [], dateOfBirth: "2027-01-01" } },
      "child.dateOfBirth",
    ],
    ["a call-back number that is not a telephone number", { callbackNumber: "call me" }, "callbackNumber"],
    ["a bad postcode", { addresses: [{ line1: "1 Road", postcode: "QQ" }] }, "addresses.0.postcode"],
    ["no reason", { reason: "" }, "reason"],
    ["an unknown authority", { authority: "NOWHERE" }, "authority"],
    ["an unknown field", { urgent: true }, ""],
  ])("refuses %s with 422 naming the field, writing nothing", async (_w, extra, path) => {
    const before = await tableCounts(t.client);
    const p = expectProblem(await t.call("POST", "/v1/enquiries", { token: s.tokens.sergeant, body: { ...body(), ...extra } }), 422);
    if (path) expect(p.errors!.map((e) => e.path)).toContain(path);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("an enquiry about the only authority may leave the authority out; with several it must name one", async () => {
    const solo = await createTestApp();
    const one = await setupAuthority(solo, "SOLO");
    const { authority: _a, ...noAuthority } = enquiryBody("SOLO", { givenNames: "Amy", familyName: "Smith", dateOfBirth: "2015-03-02" });
    expect((await solo.call("POST", "/v1/enquiries", { token: one.tokens.sergeant, body: noAuthority })).status).toBe(201);
    await setupAuthority(solo, "DUO");
    const p = expectProblem(await solo.call("POST", "/v1/enquiries", { token: one.tokens.sergeant, body: noAuthority }), 422);
    expect(p.errors![0]!.path).toBe("authority");
    solo.close();
  });
});
