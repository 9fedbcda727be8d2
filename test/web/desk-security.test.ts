import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/lib/config";
import type { Role } from "../../src/lib/principal";
import { isPagePath } from "../../src/web/core";
import { createTestApp, PRODUCTION_AUDIT_KEYS, type TestApp, tableCounts } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";
import { devSignInForm, formBody, signInDev, textOf, type WebUser } from "../support/web";

const A = "DESKS";
let t: TestApp;
let s: Setup;
let users: Record<Role, WebUser>;
let fill: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  s = await setupAuthority(t, A);
  const child = await planChild(t, s);
  const e = await enquire(t, s.tokens.sergeant, enquiryBody(A, { givenNames: "Amelia", familyName: "Hartley", dateOfBirth: "2016-04-09" }));
  const notes = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items;
  fill = { child: child.id, enquiry: e.id, notification: notes[0].id, missing: "00000000-0000-7000-8000-000000000000" };
  users = {
    enquirer: await signInDev(t, {
      userId: `sgt-${A}`,
      name: "Sgt Kim Rowe",
      roles: ["enquirer"],
      profession: "police_sergeant",
      agency: s.police,
    }),
    duty_officer: await signInDev(t, { userId: `edt-${A}`, name: "Eddie Duty", roles: ["duty_officer"], authorities: [A] }),
    key_worker: await signInDev(t, { userId: `kw-sam-${A}`, name: "Sam Patel", roles: ["key_worker"], authorities: [A] }),
    designated_manager: await signInDev(t, { userId: `dm-${A}`, name: "Dee Manager", roles: ["designated_manager"], authorities: [A] }),
    auditor: await signInDev(t, { userId: `aud-${A}`, name: "Audrey", roles: ["auditor"], authorities: [A] }),
  };
});
afterAll(() => t?.close());

type Allowed = Role[] | "public" | "any_signed_in";
interface PageRow {
  path: string;
  form?: Record<string, string>;
  allowed: Allowed;
  /** What a user let in gets: 200 for a page, 303 after a post that worked, 422 for an empty form, 404 for someone else's. */
  ok: number;
  csrf?: string;
}

/**
 * Every page route × every role (and signed out). A signed-out GET is sent to the start page
 * (303); a signed-out POST is 401; a role without the desk gets 403. A page route added
 * without a row fails the suite.
 */
const PAGES: Record<string, PageRow> = {
  "GET /": { path: "/", allowed: "public", ok: 200 },
  "GET /docs": { path: "/docs", allowed: "public", ok: 200 },
  "GET /dev/sign-in": { path: "/dev/sign-in", allowed: "public", ok: 200 },
  // No CSRF cookie of the sign-in page: refused whoever sends it.
  "POST /dev/sign-in": { path: "/dev/sign-in", form: {}, allowed: [], ok: 403 },
  // No identity provider configured in this app: there is nothing to sign in with.
  "GET /sign-in": { path: "/sign-in", allowed: [], ok: 404 },
  "GET /auth/callback": { path: "/auth/callback", allowed: [], ok: 404 },
  // Sent with a token that is not the session's (the real one would end the session the other rows use).
  "POST /sign-out": { path: "/sign-out", form: {}, csrf: "not-this-sessions-token", allowed: "any_signed_in", ok: 403 },
  "GET /enquiries": { path: "/enquiries", allowed: ["enquirer"], ok: 200 },
  "GET /enquiries/new": { path: "/enquiries/new", allowed: ["enquirer"], ok: 200 },
  "POST /enquiries": { path: "/enquiries", form: {}, allowed: ["enquirer"], ok: 422 },
  "GET /enquiries/:id": { path: "/enquiries/:enquiry", allowed: ["enquirer"], ok: 200 },
  "GET /duty": { path: "/duty", allowed: ["duty_officer"], ok: 200 },
  "GET /duty/queue/signal": { path: "/duty/queue/signal", allowed: ["duty_officer"], ok: 200 },
  "GET /duty/queue/tables": { path: "/duty/queue/tables", allowed: ["duty_officer"], ok: 200 },
  "GET /duty/callbacks/:id": { path: "/duty/callbacks/:enquiry", allowed: ["duty_officer"], ok: 200 },
  "POST /duty/callbacks/:id/claim": { path: "/duty/callbacks/:missing/claim", form: {}, allowed: ["duty_officer"], ok: 404 },
  "POST /duty/callbacks/:id/confirm": { path: "/duty/callbacks/:enquiry/confirm", form: {}, allowed: ["duty_officer"], ok: 422 },
  "POST /duty/callbacks/:id/complete": { path: "/duty/callbacks/:enquiry/complete", form: {}, allowed: ["duty_officer"], ok: 422 },
  "GET /inbox": { path: "/inbox", allowed: ["key_worker"], ok: 200 },
  "GET /inbox/:id": { path: "/inbox/:notification", allowed: ["key_worker"], ok: 200 },
  "POST /inbox/:id/read": { path: "/inbox/:missing/read", form: {}, allowed: ["key_worker"], ok: 404 },
  "GET /audit": { path: "/audit", allowed: ["auditor"], ok: 200 },
  "GET /audit/verify": { path: "/audit/verify", allowed: ["auditor"], ok: 200 },
  "GET /register": { path: "/register", allowed: ["designated_manager"], ok: 200 },
  "POST /register": { path: "/register", form: { "dateOfBirth-day": "40" }, allowed: ["designated_manager"], ok: 422 },
  "GET /register/on-plan": { path: "/register/on-plan", allowed: ["designated_manager"], ok: 200 },
  "GET /register/on-plan.csv": { path: "/register/on-plan.csv", allowed: ["designated_manager"], ok: 200 },
  "GET /register/children/:id": { path: "/register/children/:child", allowed: ["designated_manager"], ok: 200 },
  "POST /register/children/:id/people": { path: "/register/children/:child/people", form: {}, allowed: ["designated_manager"], ok: 422 },
  "POST /register/children/:id/people/:personId/remove": {
    path: "/register/children/:missing/people/:missing/remove",
    form: {},
    allowed: ["designated_manager"],
    ok: 404,
  },
  "GET /considerations": { path: "/considerations", allowed: ["designated_manager"], ok: 200 },
  "POST /considerations/:id/decide": {
    path: "/considerations/:missing/decide",
    form: { decision: "referred", note: "x" },
    allowed: ["designated_manager"],
    ok: 404,
  },
  // A duty officer reads these out of office hours only: this app's clock is in office hours.
  "GET /alerts": { path: "/alerts", allowed: ["designated_manager"], ok: 200 },
  "GET /deadlines": { path: "/deadlines", allowed: ["designated_manager"], ok: 200 },
  "GET /import": { path: "/import", allowed: ["designated_manager"], ok: 200 },
  "POST /import": { path: "/import", form: {}, allowed: ["designated_manager"], ok: 422 },
  "GET /stats": { path: "/stats", allowed: ["designated_manager"], ok: 200 },
  "GET /stats.csv": { path: "/stats.csv?from=2026-04-01&to=2026-11-30", allowed: ["designated_manager"], ok: 200 },
};

const ROLES: Role[] = ["enquirer", "duty_officer", "key_worker", "designated_manager", "auditor"];
const concrete = (p: string) => p.replace(/:([a-z]+)/g, (_, k: string) => fill[k] ?? `:${k}`);

describe("the desks' access matrix", () => {
  it("has a row for every page route the app serves, and none for a route it does not", () => {
    const served = new Set(t.app.routes.filter((r) => r.method !== "ALL" && isPagePath(r.path)).map((r) => `${r.method} ${r.path}`));
    expect(
      [...served].filter((r) => !(r in PAGES)),
      "page routes without a row",
    ).toEqual([]);
    expect(
      Object.keys(PAGES).filter((r) => !served.has(r)),
      "rows for routes not served",
    ).toEqual([]);
  });

  it("gives every role, and a signed-out browser, exactly the status in the matrix", async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const [route, row] of Object.entries(PAGES)) {
      const [method] = route.split(" ");
      const path = concrete(row.path);
      for (const who of [...ROLES, "signed_out"] as const) {
        let status: number;
        if (who === "signed_out") {
          const res = await t.app.request(path, {
            method,
            headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
            ...(method === "POST" ? { body: formBody(row.form ?? {}) } : {}),
          });
          status = res.status;
        } else {
          const u = users[who];
          status = (method === "POST" ? await u.post(path, row.form ?? {}, row.csrf ? { csrf: row.csrf } : {}) : await u.get(path)).status;
        }
        const expected =
          row.allowed === "public"
            ? row.ok
            : who === "signed_out"
              ? route === "POST /sign-out"
                ? 303
                : method === "GET" && row.allowed.length
                  ? 303
                  : row.allowed.length
                    ? 401
                    : row.ok
              : row.allowed === "any_signed_in" || row.allowed.includes(who)
                ? row.ok
                : row.allowed.length
                  ? 403
                  : row.ok;
        got.push(`${route} as ${who}: ${status}`);
        want.push(`${route} as ${who}: ${expected}`);
      }
    }
    expect(got).toEqual(want);
  });

  it("puts no inline script or inline style on any page, sends the CSP, and never lets a page be cached", async () => {
    for (const [route, row] of Object.entries(PAGES)) {
      if (
        !route.startsWith("GET ") ||
        route === "GET /stats.csv" ||
        route === "GET /register/on-plan.csv" ||
        route === "GET /duty/queue/signal"
      )
        continue;
      for (const who of ROLES) {
        if (row.allowed !== "public" && !(Array.isArray(row.allowed) && row.allowed.includes(who))) continue;
        const res = await users[who].get(concrete(row.path));
        expect(res.headers.get("cache-control"), route).toBe("no-store");
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp, route).toContain("script-src 'self'");
        expect(csp, route).not.toContain("unsafe-inline");
        expect(res.html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [], `${route}: inline script`).toEqual([]);
        expect(res.html.match(/\sstyle="/g) ?? [], `${route}: inline style`).toEqual([]);
      }
    }
  });
});

describe("sessions", () => {
  it("are set in a __Host- cookie, HttpOnly, Secure, SameSite=Lax, for the browser session only, and end on sign-out even if the cookie is kept", async () => {
    const { pre, csrf } = await devSignInForm(t);
    const res = await t.app.request("/dev/sign-in", {
      method: "POST",
      headers: { cookie: pre, "content-type": "application/x-www-form-urlencoded" },
      body: formBody({ _csrf: csrf, userId: "kept-cookie", name: "Kept", roles: "auditor", authorities: A }),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith("__Host-register_session="))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/Secure/);
    expect(set).toMatch(/SameSite=Lax/);
    // A browser-session cookie: the server ends the session after 30 idle minutes or 12 hours.
    expect(set).not.toMatch(/Max-Age|Expires/i);
    const cookie = set.split(";")[0]!;
    expect((await t.app.request("/audit", { headers: { cookie } })).status).toBe(200);
    const page = await (await t.app.request("/audit", { headers: { cookie } })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const out = await t.app.request("/sign-out", {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: formBody({ _csrf: token }),
    });
    expect(out.status).toBe(303);
    // The same cookie, replayed: signed out.
    const after = await t.app.request("/audit", { headers: { cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/");
  });

  it("end after 30 idle minutes", async () => {
    const u = await signInDev(t, { userId: "idle-user", roles: ["auditor"], authorities: [A] });
    expect((await u.get("/audit")).status).toBe(200);
    const now = t.clock.now().toISOString();
    t.clock.advance(31 * 60_000);
    expect((await u.get("/audit")).status).toBe(303);
    t.clock.set(now);
  });

  it("idle out even while the queue page polls: the poll is not the person", async () => {
    const u = await signInDev(t, { userId: "left-open", roles: ["duty_officer"], authorities: [A] });
    const now = t.clock.now().toISOString();
    for (let minute = 0; minute < 35; minute += 5) {
      t.clock.advance(5 * 60_000);
      await u.get("/duty/queue/signal");
    }
    expect((await u.get("/duty")).status).toBe(303);
    t.clock.set(now);
  });

  it("signing in again ends the browser's previous session", async () => {
    const first = await signInDev(t, { userId: "twice", roles: ["auditor"], authorities: [A] });
    const { pre, csrf } = await devSignInForm(t, first.cookie);
    const again = await t.app.request("/dev/sign-in", {
      method: "POST",
      headers: { cookie: `${first.cookie}; ${pre}`, "content-type": "application/x-www-form-urlencoded" },
      body: formBody({ _csrf: csrf, userId: "twice", roles: "auditor", authorities: A }),
    });
    expect(again.status).toBe(303);
    expect((await first.get("/audit")).status).toBe(303);
  });

  it("a tampered cookie is a signed-out browser", async () => {
    const u = await signInDev(t, { userId: "tamper", roles: ["auditor"], authorities: [A] });
    const forged = u.cookie.replace(/=([^.]+)/, "=AAAA$1");
    expect((await t.app.request("/audit", { headers: { cookie: forged } })).status).toBe(303);
  });
});

describe("form posts", () => {
  it("without this session's CSRF token are refused, change nothing, and are audited", async () => {
    const before = await tableCounts(t.client);
    for (const csrf of [null, "forged-token"]) {
      const res = await users.enquirer.post(
        "/enquiries",
        {
          "child-givenNames": "Amy",
          "child-familyName": "Smith",
          "child-dateOfBirth-day": "1",
          "child-dateOfBirth-month": "1",
          "child-dateOfBirth-year": "2018",
          reason: "x",
          callbackNumber: "0121 496 0100",
        },
        { csrf },
      );
      expect(res.status).toBe(403);
      expect(textOf(res.html)).toContain("did not come from this service");
    }
    expect(await tableCounts(t.client)).toEqual(before);
    const refused = await t.client.execute(
      `SELECT count(*) AS n FROM audit_log WHERE user_id = 'sgt-${A}' AND outcome = 'refused_403' AND action = 'POST /enquiries'`,
    );
    expect(Number(refused.rows[0]!.n)).toBe(2);
  });

  it("an enquiry with a bad postcode and no reason is shown back with both errors, what was typed kept, and nothing written", async () => {
    const before = await tableCounts(t.client);
    const res = await users.enquirer.post("/enquiries", {
      "child-givenNames": "Amy",
      "child-familyName": "Smith",
      "addresses-0-line1": "1 Main Road",
      "addresses-0-postcode": "NOT A CODE",
      callbackNumber: "0121 496 0100",
    });
    expect(res.status).toBe(422);
    const text = textOf(res.html);
    expect(text).toContain("Present address: postcode is not a valid UK postcode");
    expect(text).toContain("Enter the reason for your enquiry");
    expect(res.html).toContain('href="#addresses-0-postcode"');
    expect(res.html).toContain('value="NOT A CODE"');
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("a good enquiry is sent, and the request log names no child", async () => {
    const res = await users.enquirer.post("/enquiries", {
      "child-givenNames": "Zebedee",
      "child-familyName": "Quarrington",
      "child-dateOfBirth-day": "3",
      "child-dateOfBirth-month": "2",
      "child-dateOfBirth-year": "2017",
      reason: "Seen alone at night",
      callbackNumber: "0121 496 0100",
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/enquiries\/[0-9a-f-]+\?sent=1$/);
    const page = await users.enquirer.get(res.location!);
    expect(textOf(page.html)).toMatch(/Your reference is ENQ-\d{6}/);
    expect(JSON.stringify(t.logs)).not.toMatch(/Zebedee|Quarrington/);
  });

  it("an enquiry about an unborn child is made with the expectant mother's details, and a missing date is named against her field", async () => {
    const bad = await users.enquirer.post("/enquiries", {
      about: "unborn",
      "unborn-mother-givenNames": "Tess",
      "unborn-mother-familyName": "Quarrie",
      reason: "Booking appointment",
      callbackNumber: "0121 496 0100",
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('href="#unborn-mother-dateOfBirth"');
    const res = await users.enquirer.post("/enquiries", {
      about: "unborn",
      "unborn-mother-givenNames": "Tess",
      "unborn-mother-familyName": "Quarrie",
      "unborn-mother-dateOfBirth-day": "9",
      "unborn-mother-dateOfBirth-month": "9",
      "unborn-mother-dateOfBirth-year": "1999",
      "unborn-expectedDateOfDelivery-day": "1",
      "unborn-expectedDateOfDelivery-month": "3",
      "unborn-expectedDateOfDelivery-year": "2027",
      reason: "Booking appointment",
      callbackNumber: "0121 496 0100",
    });
    expect(res.status).toBe(303);
    const id = res.location!.match(/\/enquiries\/([0-9a-f-]+)/)![1]!;
    const own = await t.call("GET", `/v1/enquiries/${id}`, { token: s.tokens.sergeant });
    expect(own.body).toMatchObject({
      child: null,
      unborn: { mother: { givenNames: "Tess", familyName: "Quarrie", dateOfBirth: "1999-09-09" }, expectedDateOfDelivery: "2027-03-01" },
    });
    const page = await users.enquirer.get(res.location!);
    expect(textOf(page.html)).toContain("Unborn child of Tess Quarrie");
  });
});

describe("reads through the desks are audited as the API's are", () => {
  it("an enquirer's page view of their enquiry is an enquiry.read", async () => {
    await users.enquirer.get(`/enquiries/${fill.enquiry}`);
    const rows = await t.client.execute({
      sql: "SELECT count(*) AS n FROM audit_log WHERE action = 'enquiry.read' AND target_id = ? AND user_id = ?",
      args: [fill.enquiry!, `sgt-${A}`],
    });
    expect(Number(rows.rows[0]!.n)).toBeGreaterThanOrEqual(1);
  });

  it("the key worker's notification page is a notification.read naming the child", async () => {
    await users.key_worker.get(`/inbox/${fill.notification}`);
    const rows = await t.client.execute({
      sql: "SELECT subjects FROM audit_log WHERE action = 'notification.read' AND target_id = ? ORDER BY seq DESC LIMIT 1",
      args: [fill.notification!],
    });
    expect(JSON.parse(String(rows.rows[0]!.subjects))).toEqual([fill.child]);
  });

  it("the duty officer's queue poll says nothing about any child and is not an access; the tables it fetches are", async () => {
    const signal = await users.duty_officer.get("/duty/queue/signal");
    expect(JSON.parse(signal.html)).toEqual({ waiting: expect.any(Number), inCallback: expect.any(Number), latest: expect.any(Number) });
    const before = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'callback.list'")).rows[0]!.n);
    await users.duty_officer.get("/duty/queue/signal");
    expect(Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'callback.list'")).rows[0]!.n)).toBe(before);
    await users.duty_officer.get("/duty/queue/tables");
    expect(
      Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'callback.list'")).rows[0]!.n),
    ).toBeGreaterThan(before);
  });
});

describe("the development sign-in", () => {
  it("is refused in production, where only the identity provider signs people in", async () => {
    const prod = await createTestApp({
      env: {
        APP_ENV: "production",
        AUTH_JWT_SECRET: "",
        AUTH_JWKS_URL: "https://idp.example/jwks",
        AUTH_ISSUER: "https://idp.example",
        AUTH_AUDIENCE: "register-api",
        ...PRODUCTION_AUDIT_KEYS,
      },
    });
    try {
      expect((await prod.app.request("/dev/sign-in", { headers: { accept: "text/html" } })).status).toBe(404);
      expect(
        (
          await prod.app.request("/dev/sign-in", {
            method: "POST",
            headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
            body: "roles=auditor&userId=x",
          })
        ).status,
      ).toBe(404);
      expect(await (await prod.app.request("/", { headers: { accept: "text/html" } })).text()).not.toContain("Development sign-in");
    } finally {
      prod.close();
    }
  });

  it("asks again, saying what is missing, when no role is chosen", async () => {
    const { pre, csrf } = await devSignInForm(t);
    const res = await t.app.request("/dev/sign-in", {
      method: "POST",
      headers: { cookie: pre, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: formBody({ _csrf: csrf, userId: "someone" }),
    });
    expect(res.status).toBe(422);
    expect(textOf(await res.text())).toContain("Choose at least one role");
  });
});

describe("configuration of sign-in", () => {
  const prod = {
    APP_ENV: "production",
    AUTH_JWKS_URL: "https://idp.example/jwks",
    AUTH_ISSUER: "https://idp.example",
    AUTH_AUDIENCE: "register-api",
    ...PRODUCTION_AUDIT_KEYS,
  };
  it("needs all three OIDC settings together, https and a session secret of its own in production", () => {
    expect(() => parseConfig({ APP_ENV: "development", OIDC_ISSUER: "https://idp.example" })).toThrow(/OIDC_CLIENT_ID is needed/);
    expect(() =>
      parseConfig({
        ...prod,
        OIDC_ISSUER: "http://idp.example",
        OIDC_CLIENT_ID: "x",
        OIDC_CLIENT_SECRET: "y",
        SESSION_SECRET: "s".repeat(40),
      }),
    ).toThrow(/OIDC_ISSUER must be https/);
    expect(() =>
      parseConfig({
        ...prod,
        OIDC_ISSUER: "https://idp.example",
        OIDC_CLIENT_ID: "x",
        OIDC_CLIENT_SECRET: "y",
        PUBLIC_URL: "https://register.example",
      }),
    ).toThrow(/SESSION_SECRET is required/);
    const desks = { OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y", SESSION_SECRET: "s".repeat(40) };
    expect(() => parseConfig({ ...prod, ...desks, OIDC_ISSUER: "https://idp.example" })).toThrow(
      /PUBLIC_URL must be the service's https address/,
    );
    expect(() =>
      parseConfig({ ...prod, ...desks, OIDC_ISSUER: "https://other-idp.example", PUBLIC_URL: "https://register.example" }),
    ).toThrow(/same issuer as AUTH_ISSUER/);
    const ok = parseConfig({ ...prod, ...desks, OIDC_ISSUER: "https://idp.example/", PUBLIC_URL: "https://register.example" });
    expect(ok.web.oidc).toEqual({ issuer: "https://idp.example/", clientId: "x", clientSecret: "y", scopes: "openid profile register" });
  });
});
