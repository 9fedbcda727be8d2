import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, tableCounts, type TestApp } from "./support/app";
import { createAuthority, staffTokens } from "./support/fixtures";

let t: TestApp;
let dm: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ dm } = await staffTokens(t, "WKA"));
  await createAuthority(t, dm, "WKA");
});
afterAll(() => t.close());

describe("workers", () => {
  it("records a key worker linked to a login", async () => {
    const res = await t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: "Sam Patel", team: "North", phone: "0121 496 0001", email: "sam@example.org", userId: "kw-sam" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ authority: "WKA", name: "Sam Patel", phone: "+441214960001", userId: "kw-sam" });
    expect(res.body.id).toEqual(expect.any(String));
    const list = await t.call("GET", "/v1/workers", { token: dm });
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(res.body.id);
  });

  it("refuses a second worker on the same login (409)", async () => {
    expectProblem(await t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: "Other", userId: "kw-sam" } }), 409);
  });

  it("names bad fields and writes nothing", async () => {
    const before = await tableCounts(t.client);
    const p = expectProblem(await t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: " ", phone: "12", email: "nope" } }), 422);
    expect(p.errors!.map((e) => e.path).sort()).toEqual(["email", "name", "phone"]);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses a worker for an authority the manager does not act for", async () => {
    expectProblem(await t.call("POST", "/v1/workers", { token: dm, body: { authority: "ELSE", name: "X" } }), 403);
  });
});

describe("agencies and their recognised numbers", () => {
  it("stores numbers in E.164 and adds one later", async () => {
    const res = await t.call("POST", "/v1/agencies", { token: dm, body: { name: "  Staffordshire   Police ", recognisedNumbers: ["01785 232525", "+44 121 496 0002"] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Staffordshire Police", recognisedNumbers: ["+441785232525", "+441214960002"] });
    const added = await t.call("POST", `/v1/agencies/${res.body.id}/numbers`, { token: dm, body: { number: "0113 496 0000" } });
    expect(added.status).toBe(201);
    expect(added.body.recognisedNumbers).toEqual(["+441785232525", "+441214960002", "+441134960000"]);
  });

  it("treats names differing only in case and spacing as the same agency (409)", async () => {
    expectProblem(await t.call("POST", "/v1/agencies", { token: dm, body: { name: "staffordshire police", recognisedNumbers: [] } }), 409);
  });

  it("names the bad number by its position and writes nothing", async () => {
    const before = await tableCounts(t.client);
    const p = expectProblem(await t.call("POST", "/v1/agencies", { token: dm, body: { name: "County Hospital", recognisedNumbers: ["0121 496 0003", "999"] } }), 422);
    expect(p.errors).toEqual([{ path: "recognisedNumbers.1", message: "is not a valid telephone number" }]);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses an invalid number added later, and keeps the numbers as they were", async () => {
    const agency = await t.call("POST", "/v1/agencies", { token: dm, body: { name: "Hillside School", recognisedNumbers: ["020 7946 0001"] } });
    const p = expectProblem(await t.call("POST", `/v1/agencies/${agency.body.id}/numbers`, { token: dm, body: { number: "07700 900123" } }), 422);
    expect(p.errors).toEqual([{ path: "number", message: "is not a valid telephone number" }]);
    const list = await t.call("GET", "/v1/agencies", { token: dm });
    expect(list.body.items.find((a: { id: string }) => a.id === agency.body.id).recognisedNumbers).toEqual(["+442079460001"]);
  });

  it("404s when adding a number to an unknown agency", async () => {
    expectProblem(await t.call("POST", "/v1/agencies/nope/numbers", { token: dm, body: { number: "0121 496 0004" } }), 404);
  });
});
