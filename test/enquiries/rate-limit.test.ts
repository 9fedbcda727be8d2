import type { Client, InArgs, InStatement, TransactionMode } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { createTokenVerifier } from "../../src/auth/verify";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "../support/app";
import { enquiryBody, type Setup, setupAuthority } from "../support/enquiry";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T03:00:00Z", env: { ENQUIRY_LIMIT: "20", ENQUIRY_LIMIT_WINDOW_MINUTES: "15" } });
});
afterAll(() => t.close());

// Each test has its own authority (and so its own logins and alerts), so any one runs alone or in any order.
const ask = (code: string, token: string, i = 0, app = t.app) =>
  app.request("/v1/enquiries", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(enquiryBody(code, { givenNames: `Child${i}`, familyName: "Trawl", dateOfBirth: "2015-01-01" })),
  });

/** Twenty enquiries ten seconds apart: the login's window is full. */
async function fillWindow(code: string, token: string) {
  for (let i = 0; i < 20; i++) {
    expect((await ask(code, token, i)).status).toBe(201);
    t.clock.advance(10_000);
  }
}

describe("fishing control: at most 20 enquiries from one login in any 15 minutes", () => {
  it("refuses the 21st with 429 and Retry-After, writes no enquiry, audits it and alerts the designated manager once", async () => {
    const s = await setupAuthority(t, "RATE");
    await fillWindow("RATE", s.tokens.sergeant);
    const before = await tableCounts(t.client, ["audit_log", "audit_subjects", "trawl_alerts"]);
    const refused = await ask("RATE", s.tokens.sergeant, 21);
    expect(refused.status).toBe(429);
    // The first of the 20 was 200 s ago: it leaves the 15-minute window in 700 s.
    expect(refused.headers.get("retry-after")).toBe("700");
    const body = (await refused.json()) as { detail: string };
    expect(body.detail).toMatch(/20 enquiries in the last 15 minutes/);
    expect(await tableCounts(t.client, ["audit_log", "audit_subjects", "trawl_alerts"])).toEqual(before);
    expect((await ask("RATE", s.tokens.sergeant, 22)).status).toBe(429);

    const { rows } = await t.client.execute(
      "SELECT outcome, authority FROM audit_log WHERE user_id = 'sgt-RATE' AND outcome = 'refused_429'",
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.authority).toBe("RATE");
    const alerts = await t.call("GET", "/v1/alerts", { token: s.tokens.dm });
    expect(alerts.body.items).toEqual([
      expect.objectContaining({
        kind: "suspected_trawl",
        authority: "RATE",
        enquirer: { userId: "sgt-RATE", name: "Sgt Kim Rowe", profession: "police_sergeant", agency: "RATE Police" },
        enquiriesInWindow: 20,
        windowMinutes: 15,
      }),
    ]);
    // Other enquirers are not held back.
    expect((await ask("RATE", s.tokens.nurse, 1)).status).toBe(201);
  });

  it("holds across a restart: the count is in the database, not in memory", async () => {
    const s = await setupAuthority(t, "RESTART");
    await fillWindow("RESTART", s.tokens.sergeant);
    const restarted = createApp({
      store: t.store,
      clock: t.clock,
      config: t.config,
      verifyToken: createTokenVerifier(t.config.auth),
      log: () => {},
    });
    expect((await ask("RESTART", s.tokens.sergeant, 30, restarted)).status).toBe(429);
  });

  it("lets the enquirer in again once the window has moved on", async () => {
    const s = await setupAuthority(t, "MOVESON");
    await fillWindow("MOVESON", s.tokens.sergeant);
    expect((await ask("MOVESON", s.tokens.sergeant, 39)).status).toBe(429);
    // The first of the 20 was 200 s ago: 700 s on, it has left the window and one place is free.
    t.clock.advance(700_000);
    expect((await ask("MOVESON", s.tokens.sergeant, 40)).status).toBe(201);
    expect((await ask("MOVESON", s.tokens.sergeant, 41)).status).toBe(429);
  });

  it("alerts are for the designated manager of the authority only (and, out of hours, its duty officers)", async () => {
    const s = await setupAuthority(t, "ALERTS");
    await fillWindow("ALERTS", s.tokens.sergeant);
    expect((await ask("ALERTS", s.tokens.sergeant, 21)).status).toBe(429);
    expect((await t.call("GET", "/v1/alerts", { token: s.tokens.dm })).body.items).toHaveLength(1);
    // Before 08:45 the out-of-hours service acts as the designated manager; in office hours it does not.
    expect((await t.call("GET", "/v1/alerts", { token: s.tokens.edt })).body.items).toHaveLength(1);
    const before = t.clock.now();
    t.clock.set("2026-11-23T11:00:00Z");
    expectProblem(await t.call("GET", "/v1/alerts", { token: s.tokens.edt }), 403);
    t.clock.set(before.toISOString());
    const other = await t.token({ sub: "dm-x", roles: ["designated_manager"], authorities: ["ELSEWHERE"] });
    expect((await t.call("GET", "/v1/alerts", { token: other })).body.items).toEqual([]);
  });
});

describe("fishing control counts every name an enquiry tests", () => {
  let n: TestApp;
  let a: Setup;
  // Write transactions can be held until a number of fishing pre-counts have been read, so that
  // two enquiries both pass the first count and the one inside the transaction must decide.
  let gate: { waitFor: number; seen: number; open: () => void; opened: Promise<void> } | null = null;
  const gated = (c: Client): Client =>
    new Proxy(c, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === "execute")
          return (stmt: InStatement, args?: InArgs) => {
            const sql = typeof stmt === "string" ? stmt : stmt.sql;
            if (gate && /from "enquiries"/.test(sql) && /"received_at" > \?/.test(sql) && ++gate.seen >= gate.waitFor) gate.open();
            return target.execute(stmt as never, args as never);
          };
        if (prop === "transaction")
          return async (mode?: TransactionMode) => {
            if (gate && mode !== "read") await Promise.race([gate.opened, new Promise((r) => setTimeout(r, 3000))]);
            return target.transaction(mode);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  beforeAll(async () => {
    n = await createTestApp({
      now: "2026-11-23T03:00:00Z",
      env: { ENQUIRY_LIMIT: "5", ENQUIRY_LIMIT_WINDOW_MINUTES: "15" },
      wrapClient: gated,
    });
    a = await setupAuthority(n, "NAMES");
    await setupAuthority(n, "NAMESB");
  });
  afterAll(() => n.close());

  const aliases = (k: number) => Array.from({ length: k }, (_, i) => ({ familyName: `Other${i}` }));
  const ask = (token: string, k: number, extra: Record<string, unknown> = {}) =>
    n.call("POST", "/v1/enquiries", {
      token,
      body: enquiryBody("NAMES", { givenNames: "Mia", familyName: "Trawl", dateOfBirth: "2015-01-01", aliases: aliases(k) }, extra),
    });

  it("an enquiry with four aliases tests five names and uses the whole allowance of five", async () => {
    expect((await ask(a.tokens.sergeant, 4)).status).toBe(201);
    n.clock.advance(60_000);
    const refused = await ask(a.tokens.sergeant, 0);
    const p = expectProblem(refused, 429);
    // The enquiry of a minute ago leaves the 15-minute window in 840 s.
    expect(refused.headers.get("retry-after")).toBe("840");
    expect(p.detail).toMatch(/1 enquiries testing 5 names/);
  });

  it("refuses more than five aliases on an enquiry, naming child.aliases, and writes nothing", async () => {
    const before = await tableCounts(n.client, ["audit_log", "audit_subjects"]);
    const p = expectProblem(await ask(a.tokens.nurse, 6, { callbackNumber: "0113 496 0200" }), 422);
    expect(p.errors?.map((e) => e.path)).toContain("child.aliases");
    expect(await tableCounts(n.client, ["audit_log", "audit_subjects"])).toEqual(before);
    expect((await ask(a.tokens.nurse, 5, { callbackNumber: "0113 496 0200" })).status).toBe(201);
  });

  it("an enquiry checked against two authorities costs its names once", async () => {
    const also = { alsoAuthorities: ["NAMESB"], callbackNumber: "020 7946 0300" };
    const first = await ask(a.tokens.head, 1, also);
    expect(first.status).toBe(201);
    expect(first.body.alsoCheckedWith.map((x: { authority: string }) => x.authority)).toEqual(["NAMESB"]);
    expect((await ask(a.tokens.head, 2, also)).status).toBe(201);
    expectProblem(await ask(a.tokens.head, 0, also), 429);
  });

  it("the count inside the write transaction costs names too", async () => {
    const sgt = await n.token({ sub: "sgt-race", name: "Sgt Race", roles: ["enquirer"], profession: "police_sergeant", agency: a.police });
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    gate = { waitFor: 2, seen: 0, open, opened };
    try {
      // Each tests three names: both fit an empty window, but not both together.
      const results = await Promise.all([ask(sgt, 2), ask(sgt, 2)]);
      expect(gate.seen).toBeGreaterThanOrEqual(2);
      expect(results.map((r) => r.status).sort()).toEqual([201, 429]);
    } finally {
      gate = null;
    }
    const { rows } = await n.client.execute({ sql: "SELECT count(*) AS n FROM enquiries WHERE enquirer_id = 'sgt-race'", args: [] });
    expect(Number(rows[0]!.n)).toBe(1);
  });
});
