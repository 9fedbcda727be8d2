import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { signDevToken } from "../../src/auth/dev-token";
import { ConfigError, DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SESSION_SECRET, parseConfig } from "../../src/lib/config";
import { createTestApp, PRODUCTION_AUDIT_KEYS } from "../support/app";
import { freePort, run } from "../support/server";

// The review's critical finding: a deployment's settings with APP_ENV left out ran as development.
const DEPLOYMENT = {
  AUTH_JWKS_URL: "https://idp.example/jwks",
  AUTH_ISSUER: "https://idp.example",
  AUTH_AUDIENCE: "register-api",
  OIDC_ISSUER: "https://idp.example",
  OIDC_CLIENT_ID: "register-desks",
  OIDC_CLIENT_SECRET: "client-secret-value",
  SESSION_SECRET: "s".repeat(40),
  PUBLIC_URL: "https://register.example",
};

const dir = mkdtempSync(join(tmpdir(), "register-defaults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an unset APP_ENV", () => {
  it("with a deployment's settings refuses to start, naming every one of them", () => {
    let message = "";
    try {
      parseConfig(DEPLOYMENT);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/APP_ENV is not set/);
    for (const name of Object.keys(DEPLOYMENT)) expect(message).toContain(name);
    expect(message).not.toContain("client-secret-value");
  });

  it.each([
    ["AUTH_JWKS_URL", "https://idp.example/jwks"],
    ["AUTH_JWT_SECRET", "x".repeat(40)],
    ["OIDC_ISSUER", "https://idp.example"],
    ["DATABASE_URL", "libsql://db.example.turso.io"],
    ["SESSION_SECRET", "s".repeat(40)],
  ])("with only %s refuses to start and names it", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`APP_ENV is not set, but ${name} is`));
  });

  it("with nothing of a deployment is development, with its development features", () => {
    const c = parseConfig({ PORT: "8787", DATABASE_URL: "file:./data/register.db" });
    expect(c.appEnv).toBe("development");
    expect(c.devFeatures).toBe(true);
    expect(c.auth).toMatchObject({ kind: "secret", secret: DEVELOPMENT_JWT_SECRET });
  });

  it("a server process given a deployment's settings without APP_ENV exits at once, naming them, and serves nothing", async () => {
    const port = await freePort();
    const res = await run(process.execPath, ["--import", "tsx", "src/node.ts"], {
      ...DEPLOYMENT,
      APP_ENV: "",
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "r.db")}`,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/APP_ENV is not set, but AUTH_JWKS_URL/);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe("development features", () => {
  it("are off whenever an identity provider is configured, even with APP_ENV=development", async () => {
    const c = parseConfig({ APP_ENV: "development", ...DEPLOYMENT, ...PRODUCTION_AUDIT_KEYS, PUBLIC_URL: "http://localhost:8787" });
    expect(c.devFeatures).toBe(false);
    expect(c.web.sessionSecret).not.toBe(DEVELOPMENT_SESSION_SECRET);
    // No HS256 fallback to the public development secret: the JWKS is the only key.
    expect(c.auth.kind).toBe("jwks");
  });

  it("an identity provider without a JWKS or secret of its own is refused rather than falling back to the public secret", () => {
    const { AUTH_JWKS_URL: _jwks, ...rest } = DEPLOYMENT;
    expect(() => parseConfig({ APP_ENV: "development", ...rest, ...PRODUCTION_AUDIT_KEYS })).toThrow(/AUTH_JWKS_URL is required/);
  });

  it("an identity provider outside production still needs the audit log's own keys, and an https JWKS unless it is on this machine", () => {
    expect(() => parseConfig({ APP_ENV: "development", ...DEPLOYMENT })).toThrow(
      /AUDIT_HASH_KEY is required once an identity provider is configured/,
    );
    expect(() =>
      parseConfig({ APP_ENV: "test", ...DEPLOYMENT, ...PRODUCTION_AUDIT_KEYS, AUTH_JWKS_URL: "http://idp.example/jwks" }),
    ).toThrow(/AUTH_JWKS_URL must be https/);
    expect(
      parseConfig({ APP_ENV: "test", ...DEPLOYMENT, ...PRODUCTION_AUDIT_KEYS, AUTH_JWKS_URL: "http://127.0.0.1:4444/jwks" }).auth.kind,
    ).toBe("jwks");
  });

  it("the development sign-in is not served and the public secret's tokens are refused when the desks have an identity provider", async () => {
    const t = await createTestApp({
      env: {
        APP_ENV: "development",
        AUTH_JWT_SECRET: "",
        AUTH_JWKS_URL: "https://idp.invalid/jwks",
        OIDC_ISSUER: "https://idp.invalid",
        OIDC_CLIENT_ID: "x",
        OIDC_CLIENT_SECRET: "y",
        SESSION_SECRET: "s".repeat(40),
      },
    });
    try {
      expect((await t.app.request("/dev/sign-in", { headers: { accept: "text/html" } })).status).toBe(404);
      const start = await (await t.app.request("/", { headers: { accept: "text/html" } })).text();
      expect(start).not.toContain("Development sign-in");
      const forged = await signDevToken(
        { kind: "secret", secret: DEVELOPMENT_JWT_SECRET, issuer: "register-dev", audience: "register-api" },
        { sub: "anyone", name: "Anyone", roles: ["designated_manager"], authorities: ["STAFFS"] },
        { now: new Date() },
      );
      expect((await t.call("GET", "/v1/authorities", { token: forged })).status).toBe(401);
    } finally {
      t.close();
    }
  });
});

describe("Workers", () => {
  it("are a deployment: production without APP_ENV, and the development secret and sign-in never", () => {
    expect(() => parseConfig({ DATABASE_URL: "libsql://db.example.turso.io" }, { runtime: "worker" })).toThrow(
      /AUTH_JWKS_URL is required in production/,
    );
    const t = parseConfig({ APP_ENV: "test", AUTH_JWT_SECRET: "w".repeat(40), ...PRODUCTION_AUDIT_KEYS }, { runtime: "worker" });
    expect(t.devFeatures).toBe(false);
    expect(() => parseConfig({ APP_ENV: "test", AUTH_JWT_SECRET: "w".repeat(40) }, { runtime: "worker" })).toThrow(
      /AUDIT_HASH_KEY is required/,
    );
    expect(() =>
      parseConfig({ APP_ENV: "development", AUTH_JWT_SECRET: "w".repeat(40), ...PRODUCTION_AUDIT_KEYS }, { runtime: "worker" }),
    ).toThrow(/APP_ENV=development is refused on Workers/);
  });
});

describe("production", () => {
  const prod = {
    APP_ENV: "production",
    AUTH_JWKS_URL: "https://idp.example/jwks",
    AUTH_ISSUER: "https://idp.example",
    AUTH_AUDIENCE: "register-api",
    ...PRODUCTION_AUDIT_KEYS,
  };
  it("refuses a JWKS fetched over plain http", () => {
    expect(() => parseConfig({ ...prod, AUTH_JWKS_URL: "http://idp.example/jwks" })).toThrow(/AUTH_JWKS_URL must be https in production/);
    expect(parseConfig(prod).auth.kind).toBe("jwks");
  });

  it("requires the audit log's own keys, not the development ones", () => {
    const { AUDIT_HASH_KEY: _h, AUDIT_SIGNING_KEY: _s, ...keyless } = prod;
    expect(() => parseConfig(keyless)).toThrow(
      /AUDIT_HASH_KEY is required in production[\s\S]*AUDIT_SIGNING_KEY is required in production/,
    );
  });
});
