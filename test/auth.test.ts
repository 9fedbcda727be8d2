import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config";
import { createTestApp, expectProblem, tableCounts, TEST_SECRET, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: "dm-1", name: "Dee", roles: ["designated_manager"], authorities: ["AUTHT"] };
const sign = (payload: Record<string, unknown>, secret = TEST_SECRET, header: Record<string, unknown> = {}) =>
  new SignJWT(payload).setProtectedHeader({ alg: "HS256", ...header }).sign(new TextEncoder().encode(secret));
const valid = (over: Record<string, unknown> = {}) =>
  sign({ ...claims, iss: "register-test", aud: "register-api", iat: now(), exp: now() + 600, ...over });
const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString("base64url");
const createBody = { code: "AUTHT", name: "Auth Test", firstResponsePhone: "0121 496 0000" };

async function expect401(token: string | null, why: RegExp) {
  const before = await tableCounts(t.client);
  const res = await t.call("POST", "/v1/authorities", { token, body: createBody });
  const p = expectProblem(res, 401);
  expect(p.detail).toMatch(why);
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(await tableCounts(t.client)).toEqual(before);
}

describe("tokens that are refused (401, nothing written)", () => {
  it("no token", () => expect401(null, /bearer token is required/i));
  it("a header that is not a bearer token", async () => {
    const res = await t.call("GET", "/v1/authorities", { headers: { authorization: "Basic YWJjOmRlZg==" } });
    expectProblem(res, 401);
  });
  it("an expired token", async () => expect401(await valid({ iat: now() - 7200, exp: now() - 3600 }), /expired/i));
  it("a token not valid yet (nbf beyond the 60 s tolerance)", async () => expect401(await valid({ nbf: now() + 600 }), /nbf/));
  it("the wrong audience", async () => expect401(await valid({ aud: "another-api" }), /aud/));
  it("the wrong issuer", async () => expect401(await valid({ iss: "someone-else" }), /iss/));
  it("alg: none", async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 })}.`;
    await expect401(unsigned, /not valid|algorithm/i);
  });
  it("a token signed with another secret", async () => expect401(await sign({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 }, "another-secret-0123456789abcdef0123456789"), /not valid/i));
  it("a payload changed after signing", async () => {
    const [h, , s] = (await valid()).split(".");
    const forged = `${h}.${b64({ ...claims, authorities: ["EVERY"], iss: "register-test", aud: "register-api", exp: now() + 600 })}.${s}`;
    await expect401(forged, /not valid/i);
  });
  it("a token with no expiry", async () => expect401(await sign({ ...claims, iss: "register-test", aud: "register-api" }), /exp/));
  it("a token without roles", async () => expect401(await valid({ roles: undefined }), /claims/));
  it("a token with an unknown role", async () => expect401(await valid({ roles: ["superuser"] }), /claims/));
  it("a token without sub", async () => expect401(await valid({ sub: undefined }), /sub|claims/));
});

describe("roles", () => {
  it("a valid token without the role is refused with 403, and the refusal is audited", async () => {
    const enquirer = await t.token({ sub: "enq-1", roles: ["enquirer"], profession: "police_sergeant" });
    const p = expectProblem(await t.call("POST", "/v1/authorities", { token: enquirer, body: createBody }), 403);
    expect(p.detail).toMatch(/designated_manager/);
    const { rows } = await t.client.execute("SELECT * FROM audit_log WHERE user_id = 'enq-1'");
    expect(rows.map((r) => [r.action, r.outcome])).toContainEqual(["POST /v1/authorities", "refused_403"]);
  });

  it("a valid token with the role is let in", async () => {
    const dm = await valid();
    expect((await t.call("POST", "/v1/authorities", { token: dm, body: createBody })).status).toBe(201);
  });

  it("refused sign-ins are audited even with no user", async () => {
    await t.call("GET", "/v1/children/abc");
    const { rows } = await t.client.execute("SELECT * FROM audit_log WHERE user_id IS NULL AND outcome = 'refused_401' ORDER BY seq DESC LIMIT 1");
    expect(rows[0]?.action).toBe("GET /v1/children/:id");
  });
});

describe("configuration", () => {
  it("production refuses to start without a JWKS, issuer and audience, and says what is missing", () => {
    expect(() => parseConfig({ APP_ENV: "production" })).toThrow(ConfigError);
    try {
      parseConfig({ APP_ENV: "production", AUTH_JWT_SECRET: TEST_SECRET });
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/AUTH_JWKS_URL is required in production/);
      expect(msg).toMatch(/AUTH_JWT_SECRET is refused in production/);
      expect(msg).toMatch(/AUTH_ISSUER is required/);
      expect(msg).toMatch(/AUTH_AUDIENCE is required/);
      expect(msg).not.toContain(TEST_SECRET);
    }
  });

  it("production starts with a JWKS URL, issuer and audience", () => {
    const c = parseConfig({ APP_ENV: "production", AUTH_JWKS_URL: "https://idp.example/jwks", AUTH_ISSUER: "https://idp.example", AUTH_AUDIENCE: "register-api" });
    expect(c.auth).toEqual({ kind: "jwks", jwksUrl: "https://idp.example/jwks", issuer: "https://idp.example", audience: "register-api" });
  });

  it("outside production a development secret and issuer are the defaults", () => {
    const c = parseConfig({});
    expect(c.auth.kind).toBe("secret");
    expect(c.auth.issuer).toBe("register-dev");
    expect(c.databaseUrl).toBe("file:./data/register.db");
    expect(c.port).toBe(8787);
  });
});

describe("a remote JWKS (production's identity provider)", () => {
  let server: Server;
  let jwksUrl: string;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksApp: TestApp;
  beforeAll(async () => {
    rsa = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    jwksApp = await createTestApp({ env: { AUTH_JWKS_URL: jwksUrl, AUTH_JWT_SECRET: "" } });
  });
  afterAll(() => {
    server.close();
    jwksApp.close();
  });

  const rsToken = (over: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: "RS256", kid: "k1" }) =>
    new SignJWT({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600, ...over }).setProtectedHeader(header as { alg: string }).sign(rsa.privateKey);

  it("accepts a token signed by the provider's key", async () => {
    const res = await jwksApp.call("GET", "/v1/authorities", { token: await rsToken() });
    expect(res.status).toBe(200);
  });

  it("refuses an HS256 token, even one made with the development secret", async () => {
    const hs = await sign({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 });
    expectProblem(await jwksApp.call("GET", "/v1/authorities", { token: hs }), 401);
  });

  it("refuses a token whose key the provider does not publish", async () => {
    expectProblem(await jwksApp.call("GET", "/v1/authorities", { token: await rsToken({}, { alg: "RS256", kid: "unknown" }) }), 401);
  });
});
