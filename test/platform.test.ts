import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "./support/app";
import { staffTokens } from "./support/fixtures";

let t: TestApp;
let dm: string;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: "4096" } });
  ({ dm } = await staffTokens(t, "PLAT"));
});
afterAll(() => t.close());

describe("the service's own surface", () => {
  it("answers /healthz without a token", async () => {
    const res = await t.call("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
  });

  it("says the database is reachable on /readyz", async () => {
    const res = await t.call("GET", "/readyz");
    expect(res.status).toBe(200);
    expect(res.body.database).toBe("reachable");
  });

  it("serves an OpenAPI 3.1 document of the register routes, generated from the schemas", async () => {
    const res = await t.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1/);
    for (const path of [
      "/v1/authorities",
      "/v1/professions",
      "/v1/workers",
      "/v1/agencies",
      "/v1/agencies/{id}/numbers",
      "/v1/children",
      "/v1/children/{id}",
      "/v1/children/{id}/cases",
      "/v1/cases/{id}",
      "/v1/children/{id}/plans",
      "/v1/plans/{id}",
      "/v1/children/{id}/conferences",
      "/v1/audit",
      "/v1/enquiries",
      "/v1/enquiries/{id}",
      "/v1/callbacks",
      "/v1/callbacks/{enquiryId}/claim",
      "/v1/callbacks/{enquiryId}/confirm-match",
      "/v1/callbacks/{enquiryId}/complete",
      "/v1/notifications",
      "/v1/notifications/{id}/read",
      "/v1/cin-considerations",
      "/v1/cin-considerations/{id}/decision",
      "/v1/moves-in",
      "/v1/moves-in/{id}",
      "/v1/moves-in/{id}/outcome",
      "/v1/children/{id}/moves-out",
      "/v1/moves-out/{id}/confirmation",
      "/v1/deadlines",
      "/v1/stats",
      "/v1/authorities/{code}/closure-days",
      "/v1/authorities/{code}/closure-days/{date}",
      "/v1/authorities/{code}/delivery",
      "/v1/authorities/{code}/postcode-areas",
    ])
      expect(res.body.paths, path).toHaveProperty([path]);
    const childCreate = res.body.components.schemas.ChildCreate;
    expect(childCreate.required).toEqual(expect.arrayContaining(["authority", "givenNames", "familyName"]));
    expect(res.body.paths["/v1/children"].post.responses["422"].content).toHaveProperty(["application/problem+json"]);
  });

  it("lists the default eligible professions from seed 004 §58 as codes with labels", async () => {
    const res = await t.call("GET", "/v1/professions", { token: dm });
    expect(res.status).toBe(200);
    const codes = res.body.items.map((p: { code: string }) => p.code);
    expect(codes).toEqual(
      expect.arrayContaining(["police_sergeant", "registered_nurse", "health_visitor", "head_teacher", "csc_social_worker", "yot_member"]),
    );
    expect(codes).not.toContain("member_of_public");
    expect(codes).not.toContain("police_constable");
    expect(res.body.items.find((p: { code: string }) => p.code === "police_sergeant").label).toMatch(/sergeant/i);
  });

  it("answers an unknown route with a problem+json 404", async () => {
    expectProblem(await t.call("GET", "/no/such/thing"), 404);
    expectProblem(await t.call("GET", "/v1/no-such-thing", { token: dm }), 404);
  });

  it("answers malformed JSON with 400 problem+json", async () => {
    const p = expectProblem(
      await t.call("POST", "/v1/children", { token: dm, raw: "{not json", headers: { "content-type": "application/json" } }),
      400,
    );
    expect(p.detail).toMatch(/JSON/);
  });

  it("refuses a body that is not JSON with 415", async () => {
    expectProblem(
      await t.call("POST", "/v1/authorities", {
        token: dm,
        raw: "code=X",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
    );
  });

  it("refuses a body over the size limit with 413", async () => {
    const big = { authority: "PLAT", givenNames: "A", familyName: "B", dateOfBirth: "2015-01-01", householdNote: "x".repeat(10_000) };
    expectProblem(await t.call("POST", "/v1/children", { token: dm, body: big }), 413);
  });

  it("gives every response a request id and secure headers", async () => {
    const res = await t.call("GET", "/healthz");
    expect(res.headers.get("x-request-id")).toMatch(/\S{8,}/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("never shows a stack trace: an internal failure is a generic 500 with the request id", async () => {
    const broken = await createTestApp();
    broken.client.close(); // the database goes away under the app
    const token = await broken.token({ roles: ["designated_manager"], authorities: ["PLAT"] });
    const res = await broken.call("GET", "/v1/authorities", { token });
    const p = expectProblem(res, 500);
    expect(p.detail).toContain(res.headers.get("x-request-id")!);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|Libsql|CLIENT_CLOSED/);
    expect(broken.logs.some((l) => l.level === "error" && String(l.error).includes("closed"))).toBe(true);
  });

  it("logs one line a request without query strings or tokens", async () => {
    await t.call("GET", "/v1/children?q=secret-name", { token: dm });
    const line = JSON.stringify(t.logs.at(-1));
    expect(line).toContain("/v1/children");
    expect(line).not.toContain("secret-name");
    expect(line).not.toContain(dm.slice(-20));
  });
});
