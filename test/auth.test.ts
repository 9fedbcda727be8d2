import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, parseConfig } from "../src/lib/config";
import { createTestApp, expectProblem, PRODUCTION_AUDIT_KEYS, TEST_SECRET, type TestApp, tableCounts } from "./support/app";

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
  it("a token signed with another secret", async () =>
    expect401(
      await sign({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 }, "another-secret-0123456789abcdef0123456789"),
      /not valid/i,
    ));
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
    const { rows } = await t.client.execute(
      "SELECT * FROM audit_log WHERE user_id IS NULL AND outcome = 'refused_401' ORDER BY seq DESC LIMIT 1",
    );
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
    const c = parseConfig({
      APP_ENV: "production",
      AUTH_JWKS_URL: "https://idp.example/jwks",
      AUTH_ISSUER: "https://idp.example",
      AUTH_AUDIENCE: "register-api",
      ...PRODUCTION_AUDIT_KEYS,
    });
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
  let jwksApp: TestApp;
  let k1: Awaited<ReturnType<typeof generateKeyPair>>;
  let k2: Awaited<ReturnType<typeof generateKeyPair>>;
  let published: Record<string, unknown>[] = [];
  let fetches = 0;
  const jwk = async (pair: typeof k1, kid: string) => ({ ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" });

  beforeAll(async () => {
    k1 = await generateKeyPair("RS256", { extractable: true });
    k2 = await generateKeyPair("RS256", { extractable: true });
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  // Each test starts with the provider publishing k1 and an app that has not fetched the key set:
  // the rotation test leaves only k2 published and cached.
  beforeEach(async () => {
    published = [await jwk(k1, "k1")];
    jwksApp = await createTestApp({ env: { AUTH_JWKS_URL: jwksUrl, AUTH_JWT_SECRET: "" } });
  });
  afterEach(() => {
    vi.useRealTimers();
    jwksApp.close();
  });
  afterAll(() => {
    server.close();
  });

  const rsToken = (pair = k1, kid = "k1", over: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600, ...over })
      .setProtectedHeader({ alg: "RS256", kid })
      .sign(pair.privateKey);

  async function expectRefused(token: string) {
    const before = await tableCounts(jwksApp.client);
    expectProblem(await jwksApp.call("POST", "/v1/authorities", { token, body: createBody }), 401);
    expect(await tableCounts(jwksApp.client)).toEqual(before);
  }

  it("accepts a token signed by the provider's key", async () => {
    const res = await jwksApp.call("GET", "/v1/authorities", { token: await rsToken() });
    expect(res.status).toBe(200);
  });

  it("refuses an HS256 token, even one made with the development secret", async () => {
    await expectRefused(await sign({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 }));
  });

  it("refuses key confusion: HS256 signed with the provider's public key as the secret", async () => {
    const pem = await exportSPKI(k1.publicKey);
    const asJwk = JSON.stringify(await jwk(k1, "k1"));
    for (const secret of [pem, asJwk, (await exportJWK(k1.publicKey)).n!]) {
      await expectRefused(await sign({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 }, secret, { kid: "k1" }));
    }
  });

  it("refuses alg: none and a payload changed after signing, with the provider's kid", async () => {
    await expectRefused(
      `${b64({ alg: "none", kid: "k1" })}.${b64({ ...claims, iss: "register-test", aud: "register-api", exp: now() + 600 })}.`,
    );
    const [h, , sig] = (await rsToken()).split(".");
    await expectRefused(
      `${h}.${b64({ ...claims, roles: ["auditor"], iss: "register-test", aud: "register-api", exp: now() + 600 })}.${sig}`,
    );
  });

  it("refuses a token whose key the provider does not publish", async () => {
    await expectRefused(await rsToken(k2, "unknown"));
  });

  it("caches the key set, picks up a rotated-in key, and refuses a removed key once the cache expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 3_600_000); // past any earlier fetch's cache and cool-down
    const ok = async (token: string) => expect((await jwksApp.call("GET", "/v1/authorities", { token })).status).toBe(200);

    await ok(await rsToken(k1, "k1"));
    const afterFirst = fetches;
    for (let i = 0; i < 20; i++) await ok(await rsToken(k1, "k1"));
    expect(fetches, "twenty tokens, one fetch of the key set").toBe(afterFirst);

    // The provider publishes a second key. Within the 30 s cool-down an unknown kid does not
    // send the service back to the provider (a flood of made-up kids cannot hammer it)...
    published = [await jwk(k1, "k1"), await jwk(k2, "k2")];
    await expectRefused(await rsToken(k2, "k2"));
    expect(fetches).toBe(afterFirst);
    // ...after it, the first token with the new kid fetches the set again and is accepted.
    vi.setSystemTime(Date.now() + 31_000);
    await ok(await rsToken(k2, "k2"));
    expect(fetches).toBe(afterFirst + 1);

    // The provider withdraws k1: accepted while the cached set is fresh (10 minutes), refused after.
    published = [await jwk(k2, "k2")];
    await ok(await rsToken(k1, "k1"));
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1_000);
    await expectRefused(await rsToken(k1, "k1"));
    expect(fetches).toBe(afterFirst + 2);
    await ok(await rsToken(k2, "k2"));
    vi.useRealTimers();
  });
});
