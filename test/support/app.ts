import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { createApp } from "../../src/app";
import { type DevTokenClaims, signDevToken } from "../../src/auth/dev-token";
import { createTokenVerifier } from "../../src/auth/verify";
import { createEmbeddedClient } from "../../src/db/embedded-client";
import { migrateDatabase } from "../../src/db/migrate";
import { createStore, type Store } from "../../src/db/store";
import { fixedClock } from "../../src/lib/clock";
import { type Config, parseConfig } from "../../src/lib/config";
import type { Role } from "../../src/lib/principal";
import { fileSpool } from "../../src/lib/spool-node";

export const TEST_SECRET = "test-secret-0123456789abcdef0123456789abcdef";

/** The audit log's keys production requires: a test's own, not the public development ones. */
export const PRODUCTION_AUDIT_KEYS = {
  AUDIT_HASH_KEY: "test-audit-hash-key-0123456789abcdef0123",
  AUDIT_SIGNING_KEY: "dGVzdC1hdWRpdC1zaWduaW5nLWtleS0wMTIzNDU2Nzg",
};

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: Store;
  client: Client;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  dbPath: string;
  logs: Record<string, unknown>[];
  token(claims: Partial<DevTokenClaims> & { roles: Role[] }, opts?: { expiresIn?: string }): Promise<string>;
  call(
    method: string,
    path: string,
    opts?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Res>;
  close(): void;
}

/**
 * What the shared fixtures need of an app: a caller and a token signer. A TestApp is one; the
 * soak suites make one over real HTTP to a server process (test/soak/support.ts).
 */
export interface Caller {
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown }): Promise<{ status: number; body: any }>;
  token(claims: Partial<DevTokenClaims> & { roles: Role[] }): Promise<string>;
}

export interface Res {
  status: number;
  headers: Headers;
  // Tests read shapes they assert on; `any` keeps them short.
  body: any;
}

/** A fresh app on a fresh, migrated libSQL file, with a clock the test sets. */
export async function createTestApp(
  opts: {
    now?: string;
    env?: Record<string, string>;
    wrapClient?: (c: Client) => Client /** For a webhook receiver on 127.0.0.1 (delivery tests). */;
    allowLoopbackWebhooks?: true;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "register-test-"));
  const dbPath = join(dir, "register.db");
  // The client the Node entry uses for an embedded file.
  const client = createEmbeddedClient(dbPath);
  await client.execute("PRAGMA journal_mode = WAL");
  await migrateDatabase(client);
  const config = parseConfig({
    APP_ENV: "test",
    AUTH_JWT_SECRET: TEST_SECRET,
    AUTH_ISSUER: "register-test",
    AUTH_AUDIENCE: "register-api",
    ENQUIRY_LIMIT: "1000",
    API_RATE_LIMIT: "100000",
    UNAUTHENTICATED_RATE_LIMIT: "100000",
    ...PRODUCTION_AUDIT_KEYS,
    ...opts.env,
  });
  const store = createStore(opts.wrapClient ? opts.wrapClient(client) : client, {
    serialiseWrites: true,
    auditHashKey: config.audit.hashKey,
  });
  const clock = fixedClock(opts.now ?? "2026-11-23T10:00:00Z");
  const logs: Record<string, unknown>[] = [];
  const app = createApp({
    store,
    clock,
    config,
    verifyToken: createTokenVerifier(config.auth),
    log: (e) => logs.push(e),
    createSpool: fileSpool,
    ...(opts.allowLoopbackWebhooks ? { testOnlyAllowLoopbackWebhooks: true as const } : {}),
  });
  const call: TestApp["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* left as text */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    app,
    store,
    client,
    config,
    clock,
    dbPath,
    logs,
    token: (claims, o) =>
      signDevToken(
        config.auth,
        { sub: claims.sub ?? `user-${claims.roles[0]}`, name: claims.name ?? "Test User", ...claims },
        { now: new Date(), ...o },
      ),
    call,
    close: () => {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table: what "nothing was written" is checked against. */
/** The service's own tables, less `except`. */
async function tableNames(client: Client, except: string[]) {
  const { rows } = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
  );
  return rows.map((r) => String(r.name)).filter((name) => !except.includes(name));
}

export async function tableCounts(client: Client, except: string[] = ["audit_log"]) {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(client, except))
    counts[name] = Number((await client.execute(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n);
  return counts;
}

/** A hash of every row of every table but `except`: any write at all changes it. */
export async function tableChecksum(client: Client, except: string[]) {
  const h = createHash("sha256");
  for (const name of await tableNames(client, except))
    h.update(`${name}:${JSON.stringify((await client.execute(`SELECT * FROM "${name}" ORDER BY rowid`)).rows)}\n`);
  return h.digest("hex");
}

export const expectProblem = (res: Res, status: number) => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  if (!/application\/problem\+json/.test(res.headers.get("content-type") ?? ""))
    throw new Error(`not problem+json: ${res.headers.get("content-type")}`);
  if (res.body.status !== status || typeof res.body.title !== "string" || typeof res.body.detail !== "string")
    throw new Error(`not a problem body: ${JSON.stringify(res.body)}`);
  return res.body as { type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] };
};
