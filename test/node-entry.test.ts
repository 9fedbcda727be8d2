import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../src/db/migrate";
import { run, startNodeServer } from "./support/server";

const dir = mkdtempSync(join(tmpdir(), "register-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "node-entry-secret-0123456789abcdef0123456789";
const tables = async (url: string) => {
  const c = createClient({ url });
  const { rows } = await c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const applied = Number((await c.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]!.n);
  c.close();
  return { names: rows.map((r) => String(r.name)), applied };
};

describe("the Node entry (npm start)", () => {
  it("creates and migrates a new database file, keeps data across a restart, and migrates idempotently", async () => {
    const url = `file:${join(dir, "nested", "register.db")}`;
    const env = { DATABASE_URL: url, AUTH_JWT_SECRET: SECRET };
    const first = await startNodeServer(env);
    expect(first.output()).toMatch(/listening on http:\/\/localhost:\d+/);
    expect(first.output()).toMatch(/npm run token -- --role designated_manager/);
    const token = (
      await run(process.execPath, ["--import", "tsx", "scripts/token.ts", "--role", "designated_manager", "--authority", "NODE"], {
        ...env,
        APP_ENV: "test",
      })
    ).stdout.trim();
    const created = await fetch(`${first.url}/v1/authorities`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ code: "NODE", name: "Node County", firstResponsePhone: "0121 496 0000" }),
    });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);
    const once = await tables(url);
    expect(once.names).toEqual(expect.arrayContaining(["authorities", "children", "plans", "plan_categories", "audit_log"]));

    const second = await startNodeServer(env);
    const list = await fetch(`${second.url}/v1/authorities`, { headers: { authorization: `Bearer ${token}` } });
    expect((await list.json()).items.map((a: { code: string }) => a.code)).toEqual(["NODE"]);
    await second.stop();
    expect(await tables(url)).toEqual(once);
  });

  it("refuses at the socket, with 503 problem+json and Retry-After, what admission control would refuse, and never /healthz", async () => {
    const url = `file:${join(dir, "shed.db")}`;
    const env = { DATABASE_URL: url, AUTH_JWT_SECRET: SECRET, MAX_IN_FLIGHT: "1", MAX_QUEUED: "0" };
    const server = await startNodeServer(env);
    try {
      const token = (
        await run(process.execPath, ["--import", "tsx", "scripts/token.ts", "--role", "designated_manager", "--authority", "SHED"], {
          ...env,
          APP_ENV: "test",
        })
      ).stdout.trim();
      // An import whose upload is still arriving holds the one place.
      const { port } = new URL(server.url);
      const upload = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/v1/import",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", "transfer-encoding": "chunked" },
      });
      const answered = new Promise<number>((resolve, reject) => {
        upload.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        });
        upload.on("error", reject);
      });
      upload.write("\n");
      await new Promise((r) => setTimeout(r, 300));

      const refused = await fetch(`${server.url}/v1/authorities`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.get("cache-control")).toBe("no-store");
      const body = await refused.json();
      expect(body).toMatchObject({ status: 503, title: "Service unavailable" });
      expect(body.requestId).toBe(refused.headers.get("x-request-id"));
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      upload.end();
      // An import of no lines imports nothing, and is answered.
      expect(await answered).toBe(200);
      // The place is free again: the same request is answered.
      expect((await fetch(`${server.url}/v1/authorities`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("applies migrations to an empty database, and a second run changes nothing", async () => {
    const url = `file:${join(dir, "direct.db")}`;
    const c = createClient({ url });
    await migrateDatabase(c);
    const once = await tables(url);
    await migrateDatabase(c);
    c.close();
    expect(await tables(url)).toEqual(once);
    expect(once.applied).toBeGreaterThan(0);
  });

  it("npm run db:migrate migrates the database DATABASE_URL names", async () => {
    const url = `file:${join(dir, "cli.db")}`;
    const res = await run(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { DATABASE_URL: url });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Migrations applied/);
    expect((await tables(url)).names).toContain("children");
  });

  it("refuses to start in production without auth configuration, saying what is missing", async () => {
    const res = await run(process.execPath, ["--import", "tsx", "src/node.ts"], {
      APP_ENV: "production",
      DATABASE_URL: `file:${join(dir, "prod.db")}`,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: "",
      AUTH_AUDIENCE: "",
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/AUTH_JWKS_URL is required in production/);
    expect(res.stderr).not.toContain(SECRET);
  });

  it("npm run seed:demo loads the demo register once, and a second run changes nothing", async () => {
    const url = `file:${join(dir, "demo.db")}`;
    const first = await run(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { DATABASE_URL: url, APP_ENV: "test" });
    expect(first.code).toBe(0);
    const counts = async () => {
      const c = createClient({ url });
      const q = async (sql: string) => Number((await c.execute(sql)).rows[0]!.n);
      const r = {
        authorities: await q("SELECT count(*) AS n FROM authorities"),
        children: await q("SELECT count(*) AS n FROM children"),
        currentPlans: await q("SELECT count(*) AS n FROM plans WHERE end_date IS NULL"),
        endedPlans: await q("SELECT count(*) AS n FROM plans WHERE end_date IS NOT NULL"),
        noPlanConferences: await q("SELECT count(*) AS n FROM conferences WHERE outcome = 'no_plan'"),
        closedCases: await q("SELECT count(*) AS n FROM cases WHERE closed_on IS NOT NULL"),
        agencyNumbers: await q("SELECT count(*) AS n FROM agency_numbers"),
        sharedAddress: await q(
          "SELECT count(*) AS n FROM (SELECT address_key FROM child_addresses GROUP BY address_key HAVING count(*) > 1)",
        ),
      };
      c.close();
      return r;
    };
    const once = await counts();
    expect(once).toEqual({
      authorities: 2,
      children: 7,
      currentPlans: 4,
      endedPlans: 1,
      noPlanConferences: 1,
      closedCases: 1,
      agencyNumbers: 3,
      sharedAddress: 1,
    });
    const second = await run(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { DATABASE_URL: url, APP_ENV: "test" });
    expect(second.stdout).toMatch(/already loaded/);
    expect(await counts()).toEqual(once);
  });

  it("the token script refuses production and unknown roles", async () => {
    expect((await run(process.execPath, ["--import", "tsx", "scripts/token.ts", "--role", "wizard"], { APP_ENV: "test" })).code).toBe(2);
    const prod = await run(process.execPath, ["--import", "tsx", "scripts/token.ts", "--role", "auditor"], {
      APP_ENV: "production",
      AUTH_JWKS_URL: "https://idp.example/jwks",
      AUTH_ISSUER: "x",
      AUTH_AUDIENCE: "y",
    });
    expect(prod.code).toBe(2);
    expect(prod.stdout).toBe("");
  });
});
