import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { startNodeServer } from "../support/server";

const refusalRows = async (t: TestApp) =>
  (
    await t.client.execute("SELECT outcome, length(detail) AS size, detail FROM audit_log WHERE outcome LIKE 'refused_%' ORDER BY seq")
  ).rows.map((r) => ({
    outcome: String(r.outcome),
    size: Number(r.size),
    detail: JSON.parse(String(r.detail)),
  }));

describe("refusals nobody signed in for", () => {
  let t: TestApp;
  // A fresh app for each test: they read the refusals in the log and share the per-address count.
  beforeEach(async () => {
    t = await createTestApp({ env: { UNAUTHENTICATED_RATE_LIMIT: "30" } });
  });
  afterEach(() => t.close());

  it("keep only the start of a long path", async () => {
    const res = await t.call("GET", `/v1/children/${"x".repeat(15_000)}`);
    expect(res.status).toBe(401);
    const [row] = await refusalRows(t);
    expect(row!.detail).toMatchObject({ path: `/v1/children/${"x".repeat(187)}`, pathLength: 15_013 });
    expect(row!.size).toBeLessThan(400);
  });

  it("from one address are refused with 429 past the limit, and fill the log with a row a minute, not a row each", async () => {
    t.clock.advance(61_000);
    const before = (await refusalRows(t)).length;
    const statuses: number[] = [];
    let last: Awaited<ReturnType<TestApp["call"]>> | undefined;
    for (let i = 0; i < 100; i++) {
      last = await t.call("GET", "/v1/authorities", { token: "not-a-token" });
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(last!.headers.get("ratelimit")).toMatch(/^limit=30, remaining=0, reset=\d+$/);
    expect(last!.headers.get("ratelimit-policy")).toBe("30;w=60");
    expect(last!.body.title).toBe("Too many requests");
    // One row for the 401s, one for the 429s.
    expect((await refusalRows(t)).length - before).toBe(2);
    // A minute on, the next refusal is written with the count of those held back.
    t.clock.advance(61_000);
    expect((await t.call("GET", "/v1/authorities")).status).toBe(401);
    const rows = await refusalRows(t);
    expect(rows).toHaveLength(before + 3);
    expect(rows.at(-1)!.detail.heldBack).toBe(29);
  });

  it("do not lock out a valid login from the same address", async () => {
    const dm = await t.token({ roles: ["designated_manager"], authorities: ["FLD"] });
    for (let i = 0; i < 40; i++) await t.call("GET", "/v1/authorities", { token: "bad" });
    const ok = await t.call("GET", "/v1/authorities", { token: dm });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-policy")).toMatch(/^\d+;w=60$/);
  });
});

describe("a login's request rate", () => {
  it("is limited on every API route, with the limit in each answer, and refusals past it coalesced", async () => {
    const t = await createTestApp({ env: { API_RATE_LIMIT: "10" } });
    try {
      const dm = await t.token({ roles: ["designated_manager"], authorities: ["LIM"] });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await t.call("GET", "/v1/authorities", { token: dm })).status);
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
      const n = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE outcome = 'refused_429'")).rows[0]!.n);
      expect(n).toBe(1);
    } finally {
      t.close();
    }
  });
});

describe("the Node server", () => {
  it("limits failed authentication by the client's address on a real socket", async () => {
    // A database of its own, never the developer's default file.
    const dir = mkdtempSync(join(tmpdir(), "register-flood-"));
    const server = await startNodeServer({
      DATABASE_URL: `file:${join(dir, "register.db")}`,
      UNAUTHENTICATED_RATE_LIMIT: "5",
      AUTH_JWT_SECRET: "flood-secret-0123456789abcdef0123456789",
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${server.url}/v1/authorities`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    } finally {
      // It stopped when told to (the exit code, not a timeout).
      expect(await server.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
