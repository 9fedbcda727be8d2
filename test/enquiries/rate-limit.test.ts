import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { createTokenVerifier } from "../../src/auth/verify";
import { createTestApp, expectProblem, tableCounts, type TestApp } from "../support/app";
import { enquiryBody, setupAuthority, type Setup } from "../support/enquiry";

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T03:00:00Z", env: { ENQUIRY_LIMIT: "20", ENQUIRY_LIMIT_WINDOW_MINUTES: "15" } });
  s = await setupAuthority(t, "RATE");
});
afterAll(() => t.close());

const ask = (app = t.app, token = s.tokens.sergeant, i = 0) =>
  app.request("/v1/enquiries", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(enquiryBody("RATE", { givenNames: `Child${i}`, familyName: "Trawl", dateOfBirth: "2015-01-01" })),
  });

describe("fishing control: at most 20 enquiries from one login in any 15 minutes", () => {
  it("refuses the 21st with 429 and Retry-After, writes no enquiry, audits it and alerts the designated manager once", async () => {
    for (let i = 0; i < 20; i++) {
      expect((await ask(t.app, s.tokens.sergeant, i)).status).toBe(201);
      t.clock.advance(10_000);
    }
    const before = await tableCounts(t.client, ["audit_log", "audit_subjects", "trawl_alerts"]);
    const refused = await ask(t.app, s.tokens.sergeant, 21);
    expect(refused.status).toBe(429);
    // The first of the 20 was 200 s ago: it leaves the 15-minute window in 700 s.
    expect(refused.headers.get("retry-after")).toBe("700");
    const body = (await refused.json()) as { detail: string };
    expect(body.detail).toMatch(/20 enquiries in the last 15 minutes/);
    expect(await tableCounts(t.client, ["audit_log", "audit_subjects", "trawl_alerts"])).toEqual(before);
    expect((await ask(t.app, s.tokens.sergeant, 22)).status).toBe(429);

    const { rows } = await t.client.execute("SELECT outcome, authority FROM audit_log WHERE user_id = 'sgt-RATE' AND outcome = 'refused_429'");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.authority).toBe("RATE");
    const alerts = await t.call("GET", "/v1/alerts", { token: s.tokens.dm });
    expect(alerts.body.items).toEqual([
      expect.objectContaining({ kind: "suspected_trawl", authority: "RATE", enquirer: { userId: "sgt-RATE", name: "Sgt Kim Rowe", profession: "police_sergeant", agency: "RATE Police" }, enquiriesInWindow: 20, windowMinutes: 15 }),
    ]);
    // Other enquirers are not held back.
    expect((await ask(t.app, s.tokens.nurse, 1)).status).toBe(201);
  });

  it("holds across a restart: the count is in the database, not in memory", async () => {
    const restarted = createApp({ store: t.store, clock: t.clock, config: t.config, verifyToken: createTokenVerifier(t.config.auth), log: () => {} });
    expect((await ask(restarted, s.tokens.sergeant, 30)).status).toBe(429);
  });

  it("lets the enquirer in again once the window has moved on", async () => {
    t.clock.advance(700_000);
    expect((await ask(t.app, s.tokens.sergeant, 40)).status).toBe(201);
    expect((await ask(t.app, s.tokens.sergeant, 41)).status).toBe(429);
  });

  it("alerts are for the designated manager of the authority only", async () => {
    expectProblem(await t.call("GET", "/v1/alerts", { token: s.tokens.edt }), 403);
    const other = await t.token({ sub: "dm-x", roles: ["designated_manager"], authorities: ["ELSEWHERE"] });
    expect((await t.call("GET", "/v1/alerts", { token: other })).body.items).toEqual([]);
  });
});
