import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRODUCTION_AUDIT_KEYS } from "./support/app";
import { freePort, run } from "./support/server";

// The same bundle `wrangler deploy` would upload, run in workerd (the Workers runtime) locally.
const out = mkdtempSync(join(tmpdir(), "register-worker-"));
let script: string;
beforeAll(async () => {
  // wrangler.toml's [assets] folder must exist for the bundle to build: `npm test` builds it first
  // (pretest), a bare `npx vitest run` does not.
  if (!existsSync(join("public", "assets"))) {
    const assets = await run(process.execPath, ["--import", "tsx", join("scripts", "build-assets.ts")]);
    if (assets.code !== 0) throw new Error(`building the desks' assets failed: ${assets.stdout}${assets.stderr}`);
  }
  const built = await run(join("node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", out], {
    WRANGLER_SEND_METRICS: "false",
  });
  if (built.code !== 0) throw new Error(`wrangler build failed: ${built.stdout}${built.stderr}`);
  script = join(out, "worker.js");
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function withWorker(bindings: Record<string, string>, fn: (mf: Miniflare) => Promise<void>) {
  const mf = new Miniflare({
    scriptPath: script,
    modules: true,
    modulesRoot: out,
    compatibilityDate: "2026-04-01",
    bindings,
    port: await freePort(),
  });
  try {
    await fn(mf);
  } finally {
    await mf.dispose();
  }
}

const testAuth = { APP_ENV: "test", AUTH_JWT_SECRET: "worker-secret-0123456789abcdef0123456789ab", ...PRODUCTION_AUDIT_KEYS };

describe("the Workers entry", () => {
  it("builds a bundle well under the Workers limit", () => {
    expect(statSync(script).size).toBeGreaterThan(10_000);
  });

  it("starts in workerd and answers /healthz and the OpenAPI document", async () => {
    await withWorker({ ...testAuth, DATABASE_URL: "http://127.0.0.1:9" }, async (mf) => {
      const health = await mf.dispatchFetch("http://localhost/healthz");
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok" });
      const doc = (await (await mf.dispatchFetch("http://localhost/openapi.json")).json()) as { openapi: string };
      expect(doc.openapi).toMatch(/^3\.1/);
    });
  });

  it("renders the desks' start page in workerd under the CSP, and never the development sign-in: a Worker is a deployment", async () => {
    await withWorker({ ...testAuth, DATABASE_URL: "http://127.0.0.1:9" }, async (mf) => {
      const start = await mf.dispatchFetch("http://localhost/", { headers: { accept: "text/html" } });
      expect(start.status).toBe(200);
      expect(start.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await start.text();
      expect(html).toContain("Child protection register enquiries");
      expect(html).not.toContain("Development sign-in");
      expect((await mf.dispatchFetch("http://localhost/dev/sign-in", { headers: { accept: "text/html" } })).status).toBe(404);
    });
  });

  it("says clearly when the database cannot be reached, without crashing", async () => {
    await withWorker({ ...testAuth, DATABASE_URL: "http://127.0.0.1:9" }, async (mf) => {
      const res = await mf.dispatchFetch("http://localhost/readyz");
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/database cannot be reached/i);
      expect((await mf.dispatchFetch("http://localhost/healthz")).status).toBe(200);
    });
  });

  it.each([
    ["an embedded file URL", { ...testAuth, DATABASE_URL: "file:./register.db" }, /embedded file, which Workers cannot open/],
    ["no database URL", { ...testAuth }, /DATABASE_URL is not set/],
    ["a URL of an unknown kind", { ...testAuth, DATABASE_URL: "postgres://db.example/register" }, /DATABASE_URL cannot be used/],
    [
      "production without a JWKS",
      { APP_ENV: "production", DATABASE_URL: "libsql://db.example.turso.io" },
      /AUTH_JWKS_URL is required in production/,
    ],
  ])("answers 503 naming the problem for %s", async (_what, bindings, message) => {
    await withWorker(bindings, async (mf) => {
      const res = await mf.dispatchFetch("http://localhost/healthz");
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(message);
    });
  });
});
