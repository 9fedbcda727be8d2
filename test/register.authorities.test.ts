import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "./support/app";
import { createAuthority, staffTokens } from "./support/fixtures";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Each test makes its own authority, so any one runs alone or in any order.
async function authority(code: string) {
  const { dm } = await staffTokens(t, code);
  await createAuthority(t, dm, code);
  return dm;
}

describe("authorities", () => {
  it("a designated manager creates their authority; phone in E.164, office hours defaulted", async () => {
    const { dm } = await staffTokens(t, "AUTHA");
    const res = await t.call("POST", "/v1/authorities", {
      token: dm,
      body: { code: "AUTHA", name: "Authority A", firstResponsePhone: "(01785) 277041" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      code: "AUTHA",
      name: "Authority A",
      firstResponsePhone: "+441785277041",
      officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" },
      professionsCustomised: false,
    });
    const list = await t.call("GET", "/v1/authorities", { token: dm });
    expect(list.body.items.map((a: { code: string }) => a.code)).toContain("AUTHA");
    expect(list.body.next).toBeNull();
  });

  it("refuses a code the token does not list (403) and writes nothing", async () => {
    const { dm } = await staffTokens(t, "AUTHN");
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await t.call("POST", "/v1/authorities", { token: dm, body: { code: "OTHER", name: "Other", firstResponsePhone: "0121 496 0000" } }),
      403,
    );
    expect(p.errors?.[0]?.path).toBe("code");
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses a duplicate code with 409", async () => {
    const dm = await authority("AUTHD");
    expectProblem(
      await t.call("POST", "/v1/authorities", { token: dm, body: { code: "AUTHD", name: "Again", firstResponsePhone: "0121 496 0000" } }),
      409,
    );
  });

  it("names each bad field and writes nothing", async () => {
    const dmB = (await staffTokens(t, "AUTHB")).dm;
    const before = await tableCounts(t.client);
    const res = await t.call("POST", "/v1/authorities", {
      token: dmB,
      body: {
        code: "AUTHB",
        name: "",
        firstResponsePhone: "not a phone",
        officeHours: { timezone: "Mars/Olympus", days: [1, 1], open: "18:00", close: "09:00" },
        extra: 1,
      },
    });
    const p = expectProblem(res, 422);
    const paths = p.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "firstResponsePhone", "officeHours.timezone", "officeHours.days"]));
    expect(paths.some((x) => x === "(body)" || x === "extra")).toBe(true);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("changes office hours with PATCH", async () => {
    const dm = await authority("AUTHP");
    const res = await t.call("PATCH", "/v1/authorities/AUTHP", {
      token: dm,
      body: { officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4], open: "09:00", close: "17:00" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.officeHours.days).toEqual([1, 2, 3, 4]);
  });

  it("refuses bad office hours in a PATCH, naming the field, and changes nothing", async () => {
    const dm = await authority("AUTHQ");
    const good = { officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4], open: "09:00", close: "17:00" } };
    expect((await t.call("PATCH", "/v1/authorities/AUTHQ", { token: dm, body: good })).status).toBe(200);
    const p = expectProblem(
      await t.call("PATCH", "/v1/authorities/AUTHQ", {
        token: dm,
        body: { officeHours: { timezone: "Europe/London", days: [0, 8], open: "9am", close: "17:00" } },
      }),
      422,
    );
    expect(p.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(["officeHours.days.0", "officeHours.days.1", "officeHours.open"]));
    const list = await t.call("GET", "/v1/authorities", { token: dm });
    expect(list.body.items.find((a: { code: string }) => a.code === "AUTHQ").officeHours.days).toEqual([1, 2, 3, 4]);
  });

  it("does not let a manager change another authority (404)", async () => {
    const dm = await authority("AUTHM");
    const other = (await staffTokens(t, "AUTHC")).dm;
    await createAuthority(t, other, "AUTHC");
    expectProblem(await t.call("PATCH", "/v1/authorities/AUTHC", { token: dm, body: { name: "Mine now" } }), 404);
  });
});

describe("eligible professions", () => {
  it("an authority starts with the default list and can set its own (audited)", async () => {
    const dm = await authority("PROFA");
    const def = await t.call("GET", "/v1/professions?authority=PROFA", { token: dm });
    expect(def.body.items.length).toBeGreaterThan(20);
    const put = await t.call("PUT", "/v1/authorities/PROFA/professions", {
      token: dm,
      body: { codes: ["police_sergeant", "registered_nurse", "paramedic"] },
    });
    expect(put.status).toBe(200);
    expect(put.body.items.map((p: { code: string }) => p.code).sort()).toEqual(["paramedic", "police_sergeant", "registered_nurse"]);
    const after = await t.call("GET", "/v1/professions?authority=PROFA", { token: dm });
    expect(after.body.items).toHaveLength(3);
    const { rows } = await t.client.execute(
      "SELECT detail FROM audit_log WHERE action = 'authority.professions.update' AND authority = 'PROFA'",
    );
    expect(JSON.parse(String(rows[0]!.detail)).after).toContain("paramedic");
  });

  it("refuses unknown profession codes with their positions, changing nothing", async () => {
    const dm = await authority("PROFB");
    const three = { codes: ["police_sergeant", "registered_nurse", "paramedic"] };
    expect((await t.call("PUT", "/v1/authorities/PROFB/professions", { token: dm, body: three })).status).toBe(200);
    const p = expectProblem(
      await t.call("PUT", "/v1/authorities/PROFB/professions", { token: dm, body: { codes: ["police_sergeant", "astronaut"] } }),
      422,
    );
    expect(p.errors).toEqual([{ path: "codes.1", message: expect.stringContaining("astronaut") }]);
    const after = await t.call("GET", "/v1/professions?authority=PROFB", { token: dm });
    expect(after.body.items).toHaveLength(3);
  });

  it("404s for an unknown authority", async () => {
    const dm = await authority("PROFC");
    expectProblem(await t.call("GET", "/v1/professions?authority=NOPE", { token: dm }), 404);
  });
});
