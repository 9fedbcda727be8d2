import { serializeSigned } from "hono/utils/cookie";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";

// The OIDC callback is outside /v1, and anyone can send it junk: it must not write a row each.
describe("the sign-in callback under a flood of junk", () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        UNAUTHENTICATED_RATE_LIMIT: "10",
        // A provider that cannot be reached: every callback fails to complete.
        OIDC_ISSUER: "http://127.0.0.1:9",
        OIDC_CLIENT_ID: "desks",
        OIDC_CLIENT_SECRET: "desks-secret",
        SESSION_SECRET: "flood-session-secret-0123456789abcdef",
      },
    });
    // A login attempt's cookie as /sign-in would have set it, replayed on every request.
    const attempt = JSON.stringify({ state: "s", nonce: "n", verifier: "v".repeat(43) });
    const set = await serializeSigned("__Host-register_login", attempt, t.config.web.sessionSecret, { path: "/", secure: true });
    cookie = set.split(";")[0]!;
  });
  afterAll(() => t.close());

  it("is refused with 429 past the per-address limit, and audited once a minute, with the count held back", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await t.app.request(`/auth/callback?code=junk${i}&state=s`, {
        headers: { cookie, accept: "text/html", "x-request-id": "a".repeat(200) },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    const refused = async () =>
      Number(
        (await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'session.start' AND outcome = 'refused'")).rows[0]!.n,
      );
    expect(await refused()).toBe(1);
    t.clock.advance(61_000);
    await t.app.request("/auth/callback?code=again&state=s", { headers: { cookie, accept: "text/html" } });
    expect(await refused()).toBe(2);
    const last = (await t.client.execute("SELECT detail FROM audit_log WHERE action = 'session.start' ORDER BY seq DESC LIMIT 1")).rows[0]!;
    expect(JSON.parse(String(last.detail)).heldBack).toBe(9);
  });
});
