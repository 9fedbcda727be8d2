import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "./support/app";
import { childBody, createAuthority, createChild, staffTokens } from "./support/fixtures";

let t: TestApp;
let dm: string;
let auditor: string;
let otherDm: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ dm, auditor } = await staffTokens(t, "CHA"));
  otherDm = (await staffTokens(t, "CHB")).dm;
  await createAuthority(t, dm, "CHA");
  await createAuthority(t, otherDm, "CHB");
});
afterAll(() => t.close());

describe("creating and reading a child", () => {
  it("creates a child with aliases and addresses and reads the whole record back", async () => {
    const created = await t.call("POST", "/v1/children", {
      token: dm,
      body: childBody("CHA", {
        externalId: "LCS-1",
        nhsNumber: "943 476 5919",
        addresses: [
          { line1: "12 High St", town: "Stafford", postcode: "st162lh", from: "2020-01-01", to: null },
          { line1: "3 Mill Lane", postcode: "ST17 4AA", from: "2016-01-01", to: "2019-12-31" },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const read = await t.call("GET", `/v1/children/${created.body.id}`, { token: dm });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: created.body.id,
      authority: "CHA",
      externalId: "LCS-1",
      givenNames: "Amy Louise",
      familyName: "Smith",
      aliases: [{ givenNames: "Amy", familyName: "Jones" }],
      dateOfBirth: "2015-03-02",
      expectedDateOfDelivery: null,
      sex: "female",
      nhsNumber: "9434765919",
      householdNote: null,
      cases: [],
      plans: [],
      conferences: [],
    });
    expect(read.body.addresses).toEqual([
      expect.objectContaining({ line1: "12 High St", postcode: "ST16 2LH", from: "2020-01-01", to: null, current: true }),
      expect.objectContaining({ line1: "3 Mill Lane", postcode: "ST17 4AA", to: "2019-12-31", current: false }),
    ]);
  });

  it("accepts an unborn child with an expected date of delivery", async () => {
    const res = await t.call("POST", "/v1/children", {
      token: dm,
      body: childBody("CHA", { dateOfBirth: null, expectedDateOfDelivery: "2027-02-01", givenNames: "Unborn", familyName: "Baker" }),
    });
    expect(res.status).toBe(201);
    expect(res.body.expectedDateOfDelivery).toBe("2027-02-01");
  });

  it.each([
    ["no date of birth or expected date", { dateOfBirth: null }, "dateOfBirth"],
    ["a date that does not exist", { dateOfBirth: "2023-02-29" }, "dateOfBirth"],
    ["a date of birth in the future", { dateOfBirth: "2030-01-01" }, "dateOfBirth"],
    ["a bad NHS number", { nhsNumber: "1234567890" }, "nhsNumber"],
    ["a bad postcode", { addresses: [{ line1: "1 A Road", postcode: "NOT A CODE" }] }, "addresses.0.postcode"],
    [
      "an address that ends before it starts",
      { addresses: [{ line1: "1 A Road", postcode: "ST16 2LH", from: "2020-01-01", to: "2019-01-01" }] },
      "addresses.0.to",
    ],
    ["an empty alias", { aliases: [{}] }, "aliases.0"],
    ["an unknown sex", { sex: "x" }, "sex"],
    ["a field that does not exist", { dateofbirth: "2015-01-01" }, ""],
  ])("refuses %s with 422 naming the field, and writes nothing", async (_what, extra, path) => {
    const before = await tableCounts(t.client);
    const p = expectProblem(await t.call("POST", "/v1/children", { token: dm, body: childBody("CHA", extra) }), 422);
    if (path) expect(p.errors!.map((e) => e.path)).toContain(path);
    else expect(p.errors!.length).toBeGreaterThan(0);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses a second child with the same external id in the authority (409)", async () => {
    await createChild(t, dm, "CHA", { externalId: "LCS-dup" });
    expectProblem(await t.call("POST", "/v1/children", { token: dm, body: childBody("CHA", { externalId: "LCS-dup" }) }), 409);
  });

  it("refuses to create a child in an authority the manager does not act for (403)", async () => {
    expectProblem(await t.call("POST", "/v1/children", { token: dm, body: childBody("CHB") }), 403);
  });
});

describe("changing a child", () => {
  it("patches fields and replaces aliases and addresses whole", async () => {
    const child = await createChild(t, dm, "CHA");
    const res = await t.call("PATCH", `/v1/children/${child.id}`, {
      token: dm,
      body: {
        familyName: "Smith-Jones",
        aliases: [],
        addresses: [{ line1: "Rose Cottage", postcode: "ST16 3AA", from: "2024-01-01" }],
        householdNote: "Mother's partner has a conviction for violence",
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.familyName).toBe("Smith-Jones");
    expect(res.body.aliases).toEqual([]);
    expect(res.body.addresses).toHaveLength(1);
    expect(res.body.householdNote).toMatch(/conviction/);
    expect(res.body.dateOfBirth).toBe("2015-03-02");
  });

  it("will not remove the last of date of birth and expected date", async () => {
    const child = await createChild(t, dm, "CHA");
    const p = expectProblem(await t.call("PATCH", `/v1/children/${child.id}`, { token: dm, body: { dateOfBirth: null } }), 422);
    expect(p.errors![0]!.path).toBe("dateOfBirth");
    expect((await t.call("GET", `/v1/children/${child.id}`, { token: dm })).body.dateOfBirth).toBe("2015-03-02");
  });
});

describe("search", () => {
  it("finds children by any name, alias or hyphenated part, and by date of birth", async () => {
    const zoe = await createChild(t, dm, "CHA", {
      givenNames: "Zoë",
      familyName: "O'Brien-Walsh",
      dateOfBirth: "2019-07-14",
      aliases: [{ familyName: "Kowalski" }],
    });
    const ids = async (q: string) => (await t.call("GET", `/v1/children?${q}`, { token: dm })).body.items.map((c: { id: string }) => c.id);
    expect(await ids("q=zoe")).toContain(zoe.id);
    expect(await ids("q=obrien walsh")).toContain(zoe.id);
    expect(await ids("q=walsh")).toContain(zoe.id);
    expect(await ids("q=ZOE%20KOWAL")).toContain(zoe.id);
    expect(await ids("dateOfBirth=2019-07-14")).toEqual([zoe.id]);
    expect(await ids("q=zoe&dateOfBirth=2019-07-15")).toEqual([]);
  });

  it("pages with next until the last page", async () => {
    for (let i = 0; i < 3; i++) await createChild(t, dm, "CHA", { givenNames: "Pagey", familyName: `Pager${i}` });
    const first = await t.call("GET", "/v1/children?q=pagey&limit=2", { token: dm });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).toMatch(/^\/v1\/children\?/);
    const second = await t.call("GET", first.body.next, { token: dm });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next).toBeNull();
    expect(new Set([...first.body.items, ...second.body.items].map((c: { id: string }) => c.id)).size).toBe(3);
  });

  it("needs a name or a date of birth (400)", async () => {
    expectProblem(await t.call("GET", "/v1/children", { token: dm }), 400);
  });

  it("never lists another authority's children", async () => {
    await createChild(t, otherDm, "CHB", { givenNames: "Hidden", familyName: "Elsewhere" });
    expect((await t.call("GET", "/v1/children?q=hidden", { token: dm })).body.items).toEqual([]);
  });
});

describe("the audit log of reads", () => {
  it("records every read of a child's record with who, what, when and the request id", async () => {
    const child = await createChild(t, dm, "CHA");
    const read1 = await t.call("GET", `/v1/children/${child.id}`, { token: dm });
    await t.call("GET", `/v1/children/${child.id}`, { token: dm });
    const log = await t.call("GET", `/v1/audit?childId=${child.id}`, { token: auditor });
    expect(log.status).toBe(200);
    const reads = log.body.items.filter((e: { action: string }) => e.action === "child.read");
    expect(reads).toHaveLength(2);
    expect(reads[1]).toMatchObject({
      userId: "dm-CHA",
      roles: ["designated_manager"],
      target: { type: "child", id: child.id },
      outcome: "ok",
      at: "2026-11-23T10:00:00.000Z",
    });
    expect(reads.map((e: { requestId: string }) => e.requestId)).toContain(read1.headers.get("x-request-id"));
  });

  it("records the children a search listed", async () => {
    const child = await createChild(t, dm, "CHA", { givenNames: "Searchy" });
    await t.call("GET", "/v1/children?q=searchy", { token: dm });
    const { rows } = await t.client.execute("SELECT detail FROM audit_log WHERE action = 'child.search' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(rows[0]!.detail)).ids).toEqual([child.id]);
  });

  it("a manager of another authority gets 404 for the child, and the attempt is audited for the child's authority", async () => {
    const child = await createChild(t, dm, "CHA");
    expectProblem(await t.call("GET", `/v1/children/${child.id}`, { token: otherDm }), 404);
    expectProblem(await t.call("PATCH", `/v1/children/${child.id}`, { token: otherDm, body: { givenNames: "X" } }), 404);
    const log = await t.call("GET", `/v1/audit?childId=${child.id}`, { token: auditor });
    const refused = log.body.items.filter((e: { outcome: string }) => e.outcome === "refused_404");
    expect(refused.map((e: { userId: string; action: string }) => [e.userId, e.action])).toEqual([
      ["dm-CHB", "PATCH /v1/children/:id"],
      ["dm-CHB", "GET /v1/children/:id"],
    ]);
    expect((await t.call("GET", `/v1/children/${child.id}`, { token: dm })).body.givenNames).toBe("Amy Louise");
  });

  it("an unknown child id is 404 too", async () => {
    expectProblem(await t.call("GET", "/v1/children/does-not-exist", { token: dm }), 404);
  });

  it("only auditors read the audit log", async () => {
    expectProblem(await t.call("GET", "/v1/audit", { token: dm }), 403);
  });
});
