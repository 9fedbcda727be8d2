/**
 * How many calls each request makes on the app's libSQL client. Against Turso (or any remote
 * libSQL server) each call is a network round trip, so this is what a request costs at the
 * edge: calls outside a transaction are plain reads that a replica could serve; a write
 * transaction costs its BEGIN, each statement in it, and its COMMIT.
 */
import type { Client, Transaction } from "@libsql/client";
import { createApp } from "../../src/app";
import { signDevToken } from "../../src/auth/dev-token";
import { createTokenVerifier } from "../../src/auth/verify";
import { createEmbeddedClient } from "../../src/db/embedded-client";
import { createStore } from "../../src/db/store";
import { systemClock } from "../../src/lib/clock";
import { parseConfig } from "../../src/lib/config";

export interface RoundTrips {
  name: string;
  /** Calls in write transactions (BEGIN and COMMIT included): these hold the primary's write lock. */
  write: number;
  /** Calls that only read (plain, or in a read-only snapshot with its BEGIN and COMMIT): a replica could serve them. */
  read: number;
  total: number;
}

interface Counts {
  write: number;
  read: number;
}

function counting(client: Client, counts: Counts): Client {
  const tx = (t: Transaction, kind: keyof Counts): Transaction =>
    new Proxy(t, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (["execute", "batch", "executeMultiple", "commit", "rollback"].includes(String(prop)))
          return (...args: unknown[]) => {
            counts[kind]++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return value.bind(target);
      },
    });
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "transaction")
        return async (...args: unknown[]) => {
          const kind = args[0] === "read" ? "read" : "write";
          counts[kind]++; // BEGIN
          return tx(await (value as (...a: unknown[]) => Promise<Transaction>).apply(target, args), kind);
        };
      if (["execute", "batch", "executeMultiple"].includes(String(prop)))
        return (...args: unknown[]) => {
          counts.read++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return value.bind(target);
    },
  });
}

export async function countRoundTrips(
  dbFile: string,
  o: { known: string; possible: string; notKnown: string; childId: string; authority: string; queueAuthority: string; agency: string },
): Promise<RoundTrips[]> {
  const config = parseConfig({ APP_ENV: "development" });
  const raw = createEmbeddedClient(dbFile);
  const counts: Counts = { write: 0, read: 0 };
  // As the Worker runs against Turso: each write its own transaction, no group commit (whose
  // SAVEPOINT and RELEASE a write are two calls more on the embedded file, none of them remote).
  // The requests here are sent one at a time, so nothing needs the in-process queue.
  const store = createStore(counting(raw, counts), { serialiseWrites: false, auditHashKey: config.audit.hashKey });
  const app = createApp({ store, clock: systemClock, config, verifyToken: createTokenVerifier(config.auth), log: () => {} });
  const stamp = Date.now().toString(36);
  const token = (claims: Parameters<typeof signDevToken>[1]) => signDevToken(config.auth, claims);
  const enquirer = await token({
    sub: `bench-trips-${stamp}`,
    name: "Round Trips",
    roles: ["enquirer"],
    profession: "registered_nurse",
    agency: o.agency,
  });
  const dm = await token({
    sub: `bench-trips-dm-${stamp}`,
    name: "Round Trips",
    roles: ["designated_manager"],
    authorities: [o.authority],
  });
  const duty = await token({
    sub: `bench-trips-edt-${stamp}`,
    name: "Round Trips",
    roles: ["duty_officer"],
    authorities: [o.queueAuthority],
  });

  const out: RoundTrips[] = [];
  const measure = async (name: string, path: string, init: { method?: string; token: string; body?: string }) => {
    Object.assign(counts, { write: 0, read: 0 });
    const res = await app.request(path, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json" },
      ...(init.body ? { body: init.body } : {}),
    });
    if (res.status >= 300) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    out.push({ name, ...counts, total: counts.write + counts.read });
  };
  await measure("POST /v1/enquiries (known)", "/v1/enquiries", { method: "POST", token: enquirer, body: o.known });
  await measure("POST /v1/enquiries (possible)", "/v1/enquiries", { method: "POST", token: enquirer, body: o.possible });
  await measure("POST /v1/enquiries (not known)", "/v1/enquiries", { method: "POST", token: enquirer, body: o.notKnown });
  await measure("GET /v1/callbacks (first page)", "/v1/callbacks", { token: duty });
  await measure("GET /v1/children/{id}", `/v1/children/${o.childId}`, { token: dm });
  raw.close();
  return out;
}
