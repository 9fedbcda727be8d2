import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../src/lib/principal";
import { isPagePath } from "../../src/web/core";
import { createTestApp, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";

/**
 * Every route × every role (and no token) → the status each must get. The request each cell
 * sends is chosen so that a caller who is let in gets a status that proves it (200 on a read,
 * 422 on a write with an empty body, 404 on someone else's object), and a caller who is not
 * gets 403 (401 without a token). A route added to the app without a row here fails the suite.
 */
type Caller = Role | "none";
interface Row {
  /** The concrete request; `:child`, `:enquiry`… are filled in from the fixture below. */
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  /** Roles let in, and the status they get. Everyone else: 403; no token: 401. */
  allowed: Role[] | "public" | "any_signed_in";
  ok: number;
}

const DM: Role[] = ["designated_manager"];
const DUTY: Role[] = ["duty_officer"];
const ENQ: Role[] = ["enquirer"];
const KW: Role[] = ["key_worker"];
const AUD: Role[] = ["auditor"];

const MATRIX: Record<string, Row> = {
  "GET /healthz": { path: "/healthz", allowed: "public", ok: 200 },
  "GET /readyz": { path: "/readyz", allowed: "public", ok: 200 },
  "GET /openapi.json": { path: "/openapi.json", allowed: "public", ok: 200 },
  // Reference data every signed-in user's form needs: names, First Response numbers, professions.
  "GET /v1/authorities": { path: "/v1/authorities", allowed: "any_signed_in", ok: 200 },
  "GET /v1/professions": { path: "/v1/professions?authority=:authority", allowed: "any_signed_in", ok: 200 },
  "POST /v1/authorities": { path: "/v1/authorities", body: {}, allowed: DM, ok: 422 },
  "PATCH /v1/authorities/:code": { path: "/v1/authorities/:authority", body: { name: 7 }, allowed: DM, ok: 422 },
  "PUT /v1/authorities/:code/professions": { path: "/v1/authorities/:authority/professions", body: {}, allowed: DM, ok: 422 },
  "POST /v1/workers": { path: "/v1/workers", body: {}, allowed: DM, ok: 422 },
  "GET /v1/workers": { path: "/v1/workers?authority=:authority", allowed: DM, ok: 200 },
  "POST /v1/agencies": { path: "/v1/agencies", body: {}, allowed: DM, ok: 422 },
  "POST /v1/agencies/:id/numbers": { path: "/v1/agencies/:agency/numbers", body: {}, allowed: DM, ok: 422 },
  // A number the agency does not have: the manager is let in and finds nothing.
  "DELETE /v1/agencies/:id/numbers/:number": { path: "/v1/agencies/:agency/numbers/+441214969999", allowed: DM, ok: 404 },
  "PATCH /v1/agencies/:id": { path: "/v1/agencies/:agency", body: {}, allowed: DM, ok: 422 },
  "GET /v1/agencies": { path: "/v1/agencies", allowed: ["designated_manager", "duty_officer"], ok: 200 },
  "POST /v1/children": { path: "/v1/children", body: {}, allowed: DM, ok: 422 },
  "PATCH /v1/children/:id": { path: "/v1/children/:child", body: { dateOfBirth: "2023-02-29" }, allowed: DM, ok: 422 },
  "GET /v1/children/:id": { path: "/v1/children/:child", allowed: DM, ok: 200 },
  "GET /v1/children/:id/enquiries": { path: "/v1/children/:child/enquiries", allowed: DM, ok: 200 },
  "GET /v1/children": { path: "/v1/children?q=Hartley", allowed: DM, ok: 200 },
  "POST /v1/children/:id/cases": { path: "/v1/children/:child/cases", body: {}, allowed: DM, ok: 422 },
  "PATCH /v1/cases/:id": { path: "/v1/cases/:case", body: { closedOn: "not a date" }, allowed: DM, ok: 422 },
  "POST /v1/children/:id/plans": { path: "/v1/children/:child/plans", body: {}, allowed: DM, ok: 422 },
  "PATCH /v1/plans/:id": { path: "/v1/plans/:plan", body: {}, allowed: DM, ok: 422 },
  "POST /v1/children/:id/conferences": { path: "/v1/children/:child/conferences", body: {}, allowed: DM, ok: 422 },
  "GET /v1/authorities/:code/closure-days": { path: "/v1/authorities/:authority/closure-days", allowed: DM, ok: 200 },
  "PUT /v1/authorities/:code/closure-days/:date": {
    path: "/v1/authorities/:authority/closure-days/2026-12-29",
    body: {},
    allowed: DM,
    ok: 422,
  },
  // No closure day on that date: the manager is let in and finds nothing.
  "DELETE /v1/authorities/:code/closure-days/:date": { path: "/v1/authorities/:authority/closure-days/2026-12-30", allowed: DM, ok: 404 },
  "GET /v1/authorities/:code/delivery": { path: "/v1/authorities/:authority/delivery", allowed: DM, ok: 200 },
  "PUT /v1/authorities/:code/delivery": { path: "/v1/authorities/:authority/delivery", body: {}, allowed: DM, ok: 422 },
  "GET /v1/authorities/:code/postcode-areas": { path: "/v1/authorities/:authority/postcode-areas", allowed: DM, ok: 200 },
  "PUT /v1/authorities/:code/postcode-areas": { path: "/v1/authorities/:authority/postcode-areas", body: {}, allowed: DM, ok: 422 },
  "POST /v1/moves-in": { path: "/v1/moves-in", body: {}, allowed: DM, ok: 422 },
  "GET /v1/moves-in/:id": { path: "/v1/moves-in/:missing", allowed: DM, ok: 404 },
  "PATCH /v1/moves-in/:id": { path: "/v1/moves-in/:missing", body: {}, allowed: DM, ok: 422 },
  "POST /v1/moves-in/:id/outcome": { path: "/v1/moves-in/:missing/outcome", body: {}, allowed: DM, ok: 422 },
  "POST /v1/children/:id/moves-out": { path: "/v1/children/:child/moves-out", body: {}, allowed: DM, ok: 422 },
  "POST /v1/moves-out/:id/confirmation": { path: "/v1/moves-out/:missing/confirmation", body: {}, allowed: DM, ok: 422 },
  "GET /v1/deadlines": { path: "/v1/deadlines", allowed: DM, ok: 200 },
  "GET /v1/stats": { path: "/v1/stats?from=2026-11-01&to=2026-11-30", allowed: DM, ok: 200 },
  "POST /v1/import": { path: "/v1/import", raw: "{not json}\n", contentType: "application/x-ndjson", allowed: DM, ok: 422 },
  "POST /v1/enquiries": { path: "/v1/enquiries", body: {}, allowed: ENQ, ok: 422 },
  "GET /v1/enquiries": { path: "/v1/enquiries", allowed: ENQ, ok: 200 },
  "GET /v1/enquiries/:id": { path: "/v1/enquiries/:enquiry", allowed: ENQ, ok: 200 },
  "GET /v1/callbacks": { path: "/v1/callbacks", allowed: DUTY, ok: 200 },
  // Another authority's (or no) enquiry: the duty officer is let in, and finds nothing.
  "POST /v1/callbacks/:enquiryId/claim": { path: "/v1/callbacks/:missing/claim", allowed: DUTY, ok: 404 },
  "GET /v1/callbacks/:enquiryId": { path: "/v1/callbacks/:enquiry", allowed: DUTY, ok: 200 },
  // Not claimed by the caller: the duty officer is let in and told to claim it first.
  "GET /v1/callbacks/:enquiryId/candidates": { path: "/v1/callbacks/:enquiry/candidates", allowed: DUTY, ok: 409 },
  "POST /v1/callbacks/:enquiryId/confirm-match": { path: "/v1/callbacks/:enquiry/confirm-match", body: {}, allowed: DUTY, ok: 422 },
  "POST /v1/callbacks/:enquiryId/complete": { path: "/v1/callbacks/:enquiry/complete", body: {}, allowed: DUTY, ok: 422 },
  "GET /v1/notifications/:id": { path: "/v1/notifications/:missing", allowed: KW, ok: 404 },
  "GET /v1/notifications": { path: "/v1/notifications", allowed: KW, ok: 200 },
  "POST /v1/notifications/:id/read": { path: "/v1/notifications/:missing/read", allowed: KW, ok: 404 },
  "GET /v1/cin-considerations": { path: "/v1/cin-considerations", allowed: DM, ok: 200 },
  "POST /v1/cin-considerations/:id/decision": { path: "/v1/cin-considerations/:missing/decision", body: {}, allowed: DM, ok: 422 },
  "GET /v1/alerts": { path: "/v1/alerts", allowed: DM, ok: 200 },
  "POST /v1/people-posing-risk": { path: "/v1/people-posing-risk", body: {}, allowed: DM, ok: 422 },
  "GET /v1/people-posing-risk": { path: "/v1/people-posing-risk", allowed: DM, ok: 200 },
  "GET /v1/people-posing-risk/:id": { path: "/v1/people-posing-risk/:missing", allowed: DM, ok: 404 },
  "PATCH /v1/people-posing-risk/:id": { path: "/v1/people-posing-risk/:missing", body: { summary: "x" }, allowed: DM, ok: 404 },
  "GET /v1/audit": { path: "/v1/audit", allowed: AUD, ok: 200 },
  "GET /v1/audit/verify": { path: "/v1/audit/verify", allowed: AUD, ok: 200 },
  "POST /v1/audit/verify": { path: "/v1/audit/verify", body: { checkpoints: [] }, allowed: AUD, ok: 200 },
  "GET /v1/audit/checkpoint": { path: "/v1/audit/checkpoint", allowed: AUD, ok: 200 },
  "GET /v1/audit/public-key": { path: "/v1/audit/public-key", allowed: "public", ok: 200 },
};

const CALLERS: Caller[] = [...ROLES, "none"];

function expected(row: Row, caller: Caller): number {
  if (row.allowed === "public") return row.ok;
  if (caller === "none") return 401;
  if (row.allowed === "any_signed_in") return row.ok;
  return row.allowed.includes(caller) ? row.ok : 403;
}

let t: TestApp;
let s: Setup;
let fill: Record<string, string>;
let tokens: Record<Role, string>;

beforeAll(async () => {
  t = await createTestApp();
  s = await setupAuthority(t, "MATRIX");
  const child = await planChild(t, s);
  const record = (await t.call("GET", `/v1/children/${child.id}`, { token: s.tokens.dm })).body;
  const enquiry = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody("MATRIX", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
  );
  const agencies = (await t.call("GET", "/v1/agencies", { token: s.tokens.dm })).body.items;
  fill = {
    authority: "MATRIX",
    child: child.id,
    case: record.cases[0].id,
    plan: record.plans[0].id,
    enquiry: enquiry.id,
    agency: agencies[0].id,
    missing: randomUUID(),
  };
  tokens = {
    enquirer: s.tokens.sergeant,
    duty_officer: s.tokens.edt,
    key_worker: s.tokens.sam,
    designated_manager: s.tokens.dm,
    auditor: s.tokens.auditor,
  };
});
afterAll(() => t?.close());

describe("the access matrix", () => {
  it("has a row for every route the app serves, and no row for a route it does not", () => {
    // The desks' pages have a matrix of their own, by signed-in session (test/web/page-access.test.ts).
    const served = new Set(t.app.routes.filter((r) => r.method !== "ALL" && !isPagePath(r.path)).map((r) => `${r.method} ${r.path}`));
    expect(
      [...served].filter((r) => !(r in MATRIX)),
      "routes without a row in the access matrix",
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((r) => !served.has(r)),
      "rows for routes the app does not serve",
    ).toEqual([]);
  });

  it("gives every role (and no token) exactly the status in the matrix, and audits every refusal", async () => {
    const refusalsBefore = Number(
      (await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE outcome LIKE 'refused_%'")).rows[0]!.n,
    );
    const got: string[] = [];
    const want: string[] = [];
    let refusals = 0;
    for (const [route, row] of Object.entries(MATRIX)) {
      const method = route.split(" ")[0]!;
      const path = row.path.replace(/:([a-z]+)/g, (_, k: string) => fill[k] ?? `:${k}`);
      for (const caller of CALLERS) {
        const headers: Record<string, string> = {};
        if (row.contentType) headers["content-type"] = row.contentType;
        const res = await t.call(method, path, { token: caller === "none" ? null : tokens[caller], body: row.body, raw: row.raw, headers });
        got.push(`${route} as ${caller} → ${res.status}`);
        want.push(`${route} as ${caller} → ${expected(row, caller)}`);
        if (res.status >= 400) {
          refusals++;
          expect(res.headers.get("content-type"), `${route} as ${caller}`).toMatch(/application\/problem\+json/);
        }
      }
    }
    expect(got).toEqual(want);
    const refusalsAfter = Number((await t.client.execute("SELECT count(*) AS n FROM audit_log WHERE outcome LIKE 'refused_%'")).rows[0]!.n);
    expect(refusalsAfter - refusalsBefore).toBe(refusals);
    expect(got.length).toBe(Object.keys(MATRIX).length * CALLERS.length);
  });
});
