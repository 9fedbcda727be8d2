/**
 * The served OpenAPI document, built from the app itself without starting a server: the same
 * `createApp` both runtimes serve, with a test configuration and an in-memory libSQL store that
 * no request here touches. Written to the path given, or printed.
 *
 *   tsx scripts/openapi-doc.ts [out.json]
 */
import { writeFileSync } from "node:fs";
import { createClient } from "@libsql/client";
import { createApp } from "../src/app";
import { createTokenVerifier } from "../src/auth/verify";
import { createStore } from "../src/db/store";
import { fixedClock } from "../src/lib/clock";
import { parseConfig } from "../src/lib/config";

export async function servedOpenApi(): Promise<unknown> {
  const config = parseConfig({
    APP_ENV: "test",
    AUTH_JWT_SECRET: "openapi-lint-secret-0123456789abcdef0123456789",
    AUTH_ISSUER: "register-lint",
    AUTH_AUDIENCE: "register-api",
  });
  const client = createClient({ url: ":memory:" });
  try {
    const app = createApp({
      store: createStore(client, { serialiseWrites: true, auditHashKey: config.audit.hashKey }),
      clock: fixedClock("2026-11-23T10:00:00Z"),
      config,
      verifyToken: createTokenVerifier(config.auth),
      log: () => {},
    });
    const res = await app.request("/openapi.json");
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}: ${await res.text()}`);
    return await res.json();
  } finally {
    client.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = JSON.stringify(await servedOpenApi(), null, 2);
  const out = process.argv[2];
  if (out) writeFileSync(out, `${doc}\n`);
  else process.stdout.write(`${doc}\n`);
}
