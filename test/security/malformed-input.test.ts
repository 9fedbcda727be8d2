import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toE164 } from "../../src/lib/phone";
import { normalisePostcode } from "../../src/register/address";
import { createTestApp, expectProblem, type TestApp, tableChecksum } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";

/**
 * Malformed input, property-based: for every endpoint that takes a body, fast-check makes
 * bodies that are wrong in one way each (wrong types, huge strings, deep nesting, control and
 * direction-override characters, impossible dates, bad postcodes and phone numbers, unknown
 * fields, not an object, not JSON). Every one must get a 4xx problem+json, never a 5xx, and
 * the register must be byte-for-byte what it was (only the audit log, which records each
 * refusal, may grow). MALFORMED_RUNS sets the bodies per endpoint.
 */
const RUNS = Number(process.env.MALFORMED_RUNS ?? 200);
let t: TestApp;
let s: Setup;
const ids: Record<string, string> = {};
let bodiesSent = 0;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Endpoint {
  method: string;
  path: () => string;
  token: () => string;
  valid: () => Json;
  dates?: string[];
  postcodes?: string[];
  phones?: string[];
}

const child = () => ({
  authority: "MAL",
  externalId: "LCS-MAL-NEW",
  givenNames: "Jamie Lee",
  familyName: "O'Connor-Smith",
  aliases: [{ givenNames: "Jamie", familyName: "Smith" }],
  dateOfBirth: "2017-05-06",
  sex: "male",
  nhsNumber: null,
  addresses: [{ line1: "4 Mill Lane", line2: null, town: "Stafford", postcode: "ST17 4AA", from: "2020-01-01", to: null }],
  householdNote: "Lives with grandmother.",
});

const ENDPOINTS: Record<string, Endpoint> = {
  "POST /v1/authorities": {
    method: "POST",
    path: () => "/v1/authorities",
    token: () => s.tokens.dm,
    valid: () => ({
      code: "MAL2",
      name: "Second Council",
      firstResponsePhone: "0121 496 0000",
      officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" },
    }),
    phones: ["firstResponsePhone"],
  },
  "PATCH /v1/authorities/:code": {
    method: "PATCH",
    path: () => "/v1/authorities/MAL",
    token: () => s.tokens.dm,
    valid: () => ({ name: "Renamed Council", firstResponsePhone: "0121 496 0009" }),
    phones: ["firstResponsePhone"],
  },
  "PUT /v1/authorities/:code/professions": {
    method: "PUT",
    path: () => "/v1/authorities/MAL/professions",
    token: () => s.tokens.dm,
    valid: () => ({ codes: ["police_sergeant", "registered_nurse"] }),
  },
  "POST /v1/workers": {
    method: "POST",
    path: () => "/v1/workers",
    token: () => s.tokens.dm,
    valid: () => ({
      authority: "MAL",
      name: "Kai Worker",
      team: "West",
      phone: "0121 496 0042",
      email: "kai@example.org",
      userId: "kw-kai",
    }),
    phones: ["phone"],
  },
  "POST /v1/agencies": {
    method: "POST",
    path: () => "/v1/agencies",
    token: () => s.tokens.dm,
    valid: () => ({ name: "MAL Ambulance", recognisedNumbers: ["0121 496 0777"] }),
    phones: ["recognisedNumbers.0"],
  },
  "PATCH /v1/agencies/:id": {
    method: "PATCH",
    path: () => `/v1/agencies/${ids.agency}`,
    token: () => s.tokens.dm,
    valid: () => ({ contactEmail: "safeguarding@mal-police.example.org" }),
  },
  "POST /v1/agencies/:id/numbers": {
    method: "POST",
    path: () => `/v1/agencies/${ids.agency}/numbers`,
    token: () => s.tokens.dm,
    valid: () => ({ number: "0121 496 0888" }),
    phones: ["number"],
  },
  "POST /v1/children": {
    method: "POST",
    path: () => "/v1/children",
    token: () => s.tokens.dm,
    valid: child,
    dates: ["dateOfBirth", "addresses.0.from"],
    postcodes: ["addresses.0.postcode"],
  },
  "PATCH /v1/children/:id": {
    method: "PATCH",
    path: () => `/v1/children/${ids.child}`,
    token: () => s.tokens.dm,
    valid: () => ({
      givenNames: "Amelia",
      dateOfBirth: "2016-04-10",
      addresses: [{ line1: "1 New Road", town: "Stafford", postcode: "ST16 3AA", from: "2026-01-01", to: null }],
    }),
    dates: ["dateOfBirth", "addresses.0.from"],
    postcodes: ["addresses.0.postcode"],
  },
  "POST /v1/children/:id/cases": {
    method: "POST",
    path: () => `/v1/children/${ids.child}/cases`,
    token: () => s.tokens.dm,
    valid: () => ({ type: "looked_after", openedOn: "2026-02-01", keyWorkerId: ids.worker! }),
    dates: ["openedOn"],
  },
  "PATCH /v1/cases/:id": {
    method: "PATCH",
    path: () => `/v1/cases/${ids.case}`,
    token: () => s.tokens.dm,
    valid: () => ({ closedOn: "2026-10-01" }),
    dates: ["closedOn"],
  },
  "POST /v1/children/:id/plans": {
    method: "POST",
    path: () => `/v1/children/${ids.other}/plans`,
    token: () => s.tokens.dm,
    valid: () => ({ startDate: "2026-03-01", categories: ["emotional_abuse"], temporary: false }),
    dates: ["startDate"],
  },
  "PATCH /v1/plans/:id": {
    method: "PATCH",
    path: () => `/v1/plans/${ids.plan}`,
    token: () => s.tokens.dm,
    valid: () => ({ endDate: "2026-10-01", endReason: "no_longer_at_risk" }),
    dates: ["endDate"],
  },
  "POST /v1/children/:id/conferences": {
    method: "POST",
    path: () => `/v1/children/${ids.child}/conferences`,
    token: () => s.tokens.dm,
    valid: () => ({ type: "review", heldOn: "2026-09-01", outcome: "plan" }),
    dates: ["heldOn"],
  },
  "POST /v1/enquiries": {
    method: "POST",
    path: () => "/v1/enquiries",
    token: () => s.tokens.sergeant,
    valid: () => ({
      ...enquiryBody("MAL", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
      addresses: [{ line1: "12 High Street", town: "Stafford", postcode: "ST16 2LH", current: true }],
      carers: [{ givenNames: "Lisa", familyName: "Hartley", relationship: "mother" }],
    }),
    dates: ["child.dateOfBirth"],
    postcodes: ["addresses.0.postcode"],
    phones: ["callbackNumber"],
  },
  "POST /v1/callbacks/:enquiryId/confirm-match": {
    method: "POST",
    path: () => `/v1/callbacks/${ids.enquiry}/confirm-match`,
    token: () => s.tokens.edt,
    valid: () => ({ childId: ids.child! }),
  },
  "POST /v1/callbacks/:enquiryId/complete": {
    method: "POST",
    path: () => `/v1/callbacks/${ids.enquiry}/complete`,
    token: () => s.tokens.edt,
    valid: () => ({ numberDialled: "0121 496 0100", adviceGiven: "Told of the plan." }),
    phones: ["numberDialled"],
  },
  "POST /v1/cin-considerations/:id/decision": {
    method: "POST",
    path: () => `/v1/cin-considerations/${ids.consideration}/decision`,
    token: () => s.tokens.dm,
    valid: () => ({ decision: "child_in_need", note: "Assessment opened." }),
  },
};

// ---- what is wrong with a body ------------------------------------------------------------

type Path = (string | number)[];
function leaves(v: Json, path: Path = []): Path[] {
  const here = path.length ? [path] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => leaves(x, [...path, i]))];
  if (v && typeof v === "object") return [...here, ...Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]))];
  return here;
}
const objects = (v: Json, path: Path = []): Path[] =>
  Array.isArray(v)
    ? v.flatMap((x, i) => objects(x, [...path, i]))
    : v && typeof v === "object"
      ? [path, ...Object.entries(v).flatMap(([k, x]) => objects(x, [...path, k]))]
      : [];
const get = (v: Json, p: Path): Json => p.reduce<Json>((o, k) => (o as Record<string, Json>)[k as string]!, v);
function set(v: Json, p: Path, value: Json): Json {
  const copy = structuredClone(v);
  if (!p.length) return value;
  (get(copy, p.slice(0, -1)) as Record<string, Json>)[p[p.length - 1] as string] = value;
  return copy;
}
const parsePath = (s: string): Path => s.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
const kind = (v: Json) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

const deep = (depth: number, leaf: Json): Json => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};
const valueOfKind: Record<string, fc.Arbitrary<Json>> = {
  string: fc.string({ maxLength: 20 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 3 }),
  object: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, {
    minKeys: 1,
    maxKeys: 3,
  }),
};
/** A value of another kind than the original (null stays out: many fields may be null, and a string may replace null). */
const wrongKind = (v: Json) =>
  fc.oneof(
    ...Object.entries(valueOfKind)
      .filter(([k]) => k !== kind(v) && !(kind(v) === "null" && k === "string"))
      .map(([, a]) => a),
  );

const FORBIDDEN = ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u202e", "\u2066", "\ufeff", "\ud800", "\udfff"];
const impossibleDate = fc.tuple(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 12 })).chain(([y, m]) => {
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return fc.integer({ min: days + 1, max: 32 }).map((d) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
});
const badDate = fc.oneof(
  impossibleDate,
  fc.constantFrom("2023-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "01/02/2020", "2020-02-30T00:00:00Z", "", "yesterday"),
);
const badPostcode = fc
  .oneof(fc.constantFrom("", "12345", "ST16", "Q1 1AA", "NOT A POSTCODE", "ST16 2L", "ST16 2LHX"), fc.string({ maxLength: 12 }))
  .filter((p) => normalisePostcode(p) === null);
const badPhone = fc
  .oneof(fc.constantFrom("", "12", "999", "0000 000 000", "+999 123", "phone me", "0121 496 01000000"), fc.string({ maxLength: 20 }))
  .filter((p) => {
    try {
      return !toE164(p);
    } catch {
      return true;
    }
  });

/**
 * One wrong thing done to a valid body, and what kind of wrong it was. Deep nesting is built
 * in the property (`depth`), not by the arbitrary: fast-check prints the values it generates.
 */
interface Malformed {
  what: string;
  body?: Json;
  raw?: string;
  depth?: number;
  at?: Path;
}
function bodyOf(m: Malformed): Json | undefined {
  if (m.depth === undefined) return m.body;
  return m.at ? set(m.body!, m.at, deep(m.depth, "x")) : deep(m.depth, m.body!);
}
const show = (m: Malformed) => {
  if (m.depth !== undefined) return `${m.what} (${m.depth} levels${m.at ? ` at ${m.at.join(".")}` : ""})`;
  return `${m.what}: ${String(JSON.stringify("raw" in m ? m.raw : m.body)).slice(0, 300)}`;
};
function malformed(e: Endpoint): fc.Arbitrary<Malformed> {
  const v = e.valid();
  const ls = leaves(v);
  const strings = ls.filter((p) => typeof get(v, p) === "string" && (get(v, p) as string).length > 0);
  const typed = (paths: string[] | undefined, bad: fc.Arbitrary<string>, what: string) =>
    paths?.length ? [fc.tuple(fc.constantFrom(...paths), bad).map(([p, x]) => ({ what, body: set(v, parsePath(p), x) }))] : [];
  return fc.oneof(
    fc.constantFrom(...ls).chain((p) => wrongKind(get(v, p)).map((x) => ({ what: "wrong type", body: set(v, p, x) }))),
    fc
      .tuple(fc.constantFrom(...strings), fc.integer({ min: 5_000, max: 40_000 }))
      .map(([p, n]) => ({ what: "huge string", body: set(v, p, "A".repeat(n)) })),
    fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...FORBIDDEN), fc.nat()).map(([p, ch, at]) => {
      const old = get(v, p) as string;
      const i = at % (old.length + 1);
      return { what: "forbidden character", body: set(v, p, old.slice(0, i) + ch + old.slice(i)) };
    }),
    fc
      .tuple(fc.constantFrom(...objects(v)), fc.string({ minLength: 1, maxLength: 12 }))
      .map(([p, k]) => ({ what: "unknown field", body: set(v, [...p, `x_${k}`], true) })),
    (fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>)
      .filter((x) => kind(x) !== "object")
      .map((x) => ({ what: "not an object", body: x })),
    fc.integer({ min: 100, max: 2000 }).map((depth) => ({ what: "deep nesting", body: v, depth })),
    fc
      .tuple(fc.constantFrom(...ls), fc.integer({ min: 50, max: 2000 }))
      .map(([at, depth]) => ({ what: "deep nesting in a field", body: v, depth, at })),
    fc
      .string({ maxLength: 40 })
      .filter((x) => {
        try {
          JSON.parse(x);
          return false;
        } catch {
          return x.trim().length > 0;
        }
      })
      .map((raw) => ({ what: "not JSON", raw })),
    ...typed(e.dates, badDate, "invalid date"),
    ...typed(e.postcodes, badPostcode, "bad postcode"),
    ...typed(e.phones, badPhone, "bad phone number"),
  );
}

/** Everything in the register except the audit log (which records each refusal). */
const checksum = () => tableChecksum(t.client, ["audit_log", "audit_subjects"]);

function expectRefusal(res: { status: number; headers: Headers; body: any }, what: string) {
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  expect(res.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
  expect(res.body.status, what).toBe(res.status);
  expect(typeof res.body.detail, what).toBe("string");
  expect(JSON.stringify(res.body), what).not.toMatch(/\bat .+\.(ts|js):\d+|SQLITE|SELECT |INSERT |node_modules/);
}

beforeAll(async () => {
  t = await createTestApp();
  s = await setupAuthority(t, "MAL");
  s.tokens.dm = await t.token({ sub: "dm-MAL", name: "Dee Manager", roles: ["designated_manager"], authorities: ["MAL", "MAL2"] });
  const c = await planChild(t, s);
  const other = await t.call("POST", "/v1/children", { token: s.tokens.dm, body: { ...child(), externalId: "LCS-MAL-OTHER" } });
  const record = (await t.call("GET", `/v1/children/${c.id}`, { token: s.tokens.dm })).body;
  const e = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody("MAL", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
  );
  await t.call("POST", `/v1/callbacks/${e.id}/claim`, { token: s.tokens.edt });
  const unknown = { givenNames: "Pat", familyName: "Unlisted", dateOfBirth: "2019-09-09" };
  await enquire(t, s.tokens.sergeant, enquiryBody("MAL", unknown));
  await enquire(t, s.tokens.nurse, enquiryBody("MAL", unknown, { callbackNumber: "0113 496 0200" }));
  Object.assign(ids, {
    child: c.id,
    other: other.body.id,
    case: record.cases[0].id,
    plan: record.plans[0].id,
    worker: s.sam.id,
    agency: (await t.call("GET", "/v1/agencies", { token: s.tokens.dm })).body.items[0].id,
    enquiry: e.id,
    consideration: (await t.call("GET", "/v1/cin-considerations", { token: s.tokens.dm })).body.items[0].id,
  });
  // Each valid body is valid: the mutations, not the fixture, are what gets refused.
});
afterAll(() => {
  console.log(`malformed input: endpoints=${Object.keys(ENDPOINTS).length + 1} bodies=${bodiesSent}`);
  t?.close();
});

describe("malformed bodies to every write endpoint", () => {
  for (const [name, e] of Object.entries(ENDPOINTS)) {
    it(`${name}: ${RUNS} generated bodies, each refused with a problem, the register unchanged`, async () => {
      const before = await checksum();
      await fc.assert(
        fc.asyncProperty(malformed(e), async (m) => {
          bodiesSent++;
          const res = await t.call(e.method, e.path(), {
            token: e.token(),
            ...(m.raw !== undefined ? { raw: m.raw, headers: { "content-type": "application/json" } } : { body: bodyOf(m) }),
          });
          expectRefusal(res, `${name}, ${show(m)}`);
        }),
        { numRuns: RUNS },
      );
      expect(await checksum(), `${name} changed the register`).toBe(before);
    });
  }

  it(`POST /v1/import: ${RUNS} files with one malformed line among good ones, each refused whole`, async () => {
    const before = await checksum();
    const good = (n: number) => JSON.stringify({ ...child(), externalId: `LCS-IMP-${n}`, cases: [], plans: [], conferences: [] });
    const line = { ...child(), externalId: "LCS-IMP-BAD", cases: [], plans: [], conferences: [] } as Json;
    const endpoint: Endpoint = {
      method: "POST",
      path: () => "/v1/import",
      token: () => s.tokens.dm,
      valid: () => line,
      dates: ["dateOfBirth", "addresses.0.from"],
      postcodes: ["addresses.0.postcode"],
    };
    await fc.assert(
      fc.asyncProperty(malformed(endpoint), fc.integer({ min: 0, max: 3 }), async (m, at) => {
        bodiesSent++;
        const lines = [good(1), good(2), good(3)];
        lines.splice(at, 0, m.raw ?? JSON.stringify(bodyOf(m)));
        const res = await t.call("POST", "/v1/import", {
          token: s.tokens.dm,
          raw: `${lines.join("\n")}\n`,
          headers: { "content-type": "application/x-ndjson" },
        });
        expectRefusal(res, `import, ${show(m)}`);
      }),
      { numRuns: RUNS },
    );
    expect(await checksum(), "the import changed the register").toBe(before);
  });

  it("the valid bodies the mutations start from are accepted (so refusals are the mutations' doing)", async () => {
    const accepted = ["POST /v1/children", "POST /v1/enquiries", "POST /v1/workers", "PATCH /v1/cases/:id"];
    for (const name of accepted) {
      const e = ENDPOINTS[name]!;
      const res = await t.call(e.method, e.path(), { token: e.token(), body: e.valid() });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });
});

// Its own register, so it passes alone and in any order (it came from a review of the landed code).
describe("bad input is a clear 4xx, never a 500", () => {
  let t: TestApp;
  let s: Setup;
  beforeAll(async () => {
    t = await createTestApp({ now: "2026-11-23T21:00:00Z" });
    s = await setupAuthority(t, "REVA");
  });
  afterAll(() => t.close());

  it("an empty patch is 422", async () => {
    expectProblem(await t.call("PATCH", "/v1/authorities/REVA", { token: s.tokens.dm, body: {} }), 422);
    const child = await createChild(t, s.tokens.dm, "REVA");
    expectProblem(await t.call("PATCH", `/v1/children/${child.id}`, { token: s.tokens.dm, body: {} }), 422);
  });

  it("a forged cursor is 400", async () => {
    const forged = Buffer.from("1e999").toString("base64url");
    expectProblem(await t.call("GET", `/v1/enquiries?cursor=${forged}`, { token: s.tokens.sergeant }), 400);
    expectProblem(await t.call("GET", `/v1/callbacks?cursor=${forged}`, { token: s.tokens.edt }), 400);
    expectProblem(await t.call("GET", `/v1/audit?cursor=${forged}`, { token: s.tokens.auditor }), 400);
    expectProblem(await t.call("GET", "/v1/children?q=a&cursor=%%%", { token: s.tokens.dm }), 400);
  });
});
