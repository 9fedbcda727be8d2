import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lines, MAX_LINE_BYTES } from "../src/import/lines";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "./support/app";
import { createAuthority, createWorker } from "./support/fixtures";

let t: TestApp;
let dm: string;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T02:00:00Z" });
  dm = await t.token({ sub: "dm-IMP", roles: ["designated_manager"], authorities: ["IMP"] });
  await createAuthority(t, dm, "IMP");
  await createWorker(t, dm, "IMP", { name: "Sam Patel", externalId: "W-1", userId: "kw-imp-sam" });
  await createWorker(t, dm, "IMP", { name: "Jo Brennan", externalId: "W-2" });
});
afterAll(() => t.close());

const line = (externalId: string, extra: Record<string, unknown> = {}) => ({
  authority: "IMP",
  externalId,
  givenNames: "Amelia Rose",
  familyName: "Hartley",
  dateOfBirth: "2016-04-09",
  aliases: [{ familyName: "Cole" }],
  addresses: [{ line1: "12 High Street", postcode: "ST16 2LH", from: "2019-01-01" }],
  cases: [{ type: "child_protection", openedOn: "2026-05-20", keyWorkerExternalId: "W-1" }],
  plans: [{ startDate: "2026-06-01", categories: ["neglect"] }],
  conferences: [{ type: "initial", heldOn: "2026-06-01", outcome: "plan" }],
  ...extra,
});
const ndjson = (rows: unknown[]) => `${rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n")}\n`;
const post = (body: string, token = dm, type = "application/x-ndjson") =>
  t.call("POST", "/v1/import", { token, raw: body, headers: { "content-type": type } });
const childByExternal = async (externalId: string) => {
  const { rows } = await t.client.execute({ sql: "SELECT id FROM children WHERE external_id = ?", args: [externalId] });
  return (await t.call("GET", `/v1/children/${rows[0]!.id}`, { token: dm })).body;
};

describe("bulk import from the case system", () => {
  it("creates, then updates what changed, leaves the unchanged alone, and keeps history", async () => {
    const first = await post(
      ndjson([
        line("A-1"),
        line("A-2", { givenNames: "Oliver", dateOfBirth: "2019-01-15", plans: [], cases: [], conferences: [] }),
        line("A-3", { givenNames: "Ruby", plans: [], cases: [] }),
      ]),
    );
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 3, updated: 0, unchanged: 0, lines: 3 });
    const a1 = await childByExternal("A-1");
    expect(a1).toMatchObject({
      givenNames: "Amelia Rose",
      aliases: [{ familyName: "Cole" }],
      cases: [{ status: "open", keyWorker: { name: "Sam Patel" } }],
      plans: [{ categories: ["neglect"], endDate: null }],
    });

    // The next night: A-1's plan category changes and an alias goes; A-2 unchanged; A-3 moves house and its case closes.
    const second = await post(
      ndjson([
        line("A-1", { aliases: [], plans: [{ startDate: "2026-06-01", categories: ["physical_abuse"] }] }),
        line("A-2", { givenNames: "Oliver", dateOfBirth: "2019-01-15", plans: [], cases: [], conferences: [] }),
        line("A-3", {
          givenNames: "Ruby",
          plans: [],
          cases: [{ type: "child_protection", openedOn: "2026-05-20", closedOn: "2026-11-01", keyWorkerExternalId: "W-2" }],
          addresses: [
            { line1: "3 Mill Lane", postcode: "ST17 4AA", from: "2026-10-01" },
            { line1: "12 High Street", postcode: "ST16 2LH", from: "2019-01-01", to: "2026-09-30" },
          ],
        }),
      ]),
    );
    expect(second.body).toEqual({ created: 0, updated: 2, unchanged: 1, lines: 3 });
    const a1b = await childByExternal("A-1");
    expect(a1b.aliases).toEqual([]);
    expect(a1b.plans).toHaveLength(1);
    expect(a1b.plans[0].categories).toEqual(["physical_abuse"]);
    expect(a1b.plans[0].categoryHistory).toEqual(
      expect.arrayContaining([
        { category: "neglect", from: "2026-06-01", to: "2026-11-23" },
        { category: "physical_abuse", from: "2026-11-23", to: null },
      ]),
    );
    expect(a1b.conferences).toHaveLength(1);
    const a3 = await childByExternal("A-3");
    expect(a3.addresses.map((a: { line1: string; current: boolean }) => [a.line1, a.current])).toEqual([
      ["3 Mill Lane", true],
      ["12 High Street", false],
    ]);
    expect(a3.cases).toEqual([
      expect.objectContaining({ status: "closed", closedOn: "2026-11-01", keyWorker: expect.objectContaining({ name: "Jo Brennan" }) }),
    ]);

    const third = await post(ndjson([line("A-1", { aliases: [], plans: [{ startDate: "2026-06-01", categories: ["physical_abuse"] }] })]));
    expect(third.body).toEqual({ created: 0, updated: 0, unchanged: 1, lines: 1 });
  });

  it("an imported child is matched by enquiries like any other", async () => {
    await post(ndjson([line("M-1", { givenNames: "Imported", familyName: "Child", dateOfBirth: "2012-12-12" })]));
    const sgt = await t.token({ sub: "sgt-imp", name: "Sgt", roles: ["enquirer"], profession: "police_sergeant", agency: "IMP Police" });
    const e = await t.call("POST", "/v1/enquiries", {
      token: sgt,
      body: {
        authority: "IMP",
        child: { givenNames: "Imported", familyName: "Child", dateOfBirth: "2012-12-12" },
        reason: "x",
        callbackNumber: "0121 496 0100",
      },
    });
    const duty = await t.token({ sub: "edt-imp", roles: ["duty_officer"], authorities: ["IMP"] });
    const queue = await t.call("GET", "/v1/callbacks", { token: duty });
    expect(queue.body.items.find((i: { id: string }) => i.id === e.body.id).answer).toMatchObject({
      match: "known",
      currentPlan: { categories: ["neglect"] },
      case: { keyWorker: { name: "Sam Patel" } },
    });
  });

  it("an invalid line anywhere writes nothing and names each bad line and field", async () => {
    const before = await tableCounts(t.client);
    const res = await post(
      ndjson([
        line("B-1"),
        line("B-2", { dateOfBirth: "2023-02-29" }),
        "{not json",
        line("B-4", { cases: [{ type: "child_protection", openedOn: "2026-05-20", keyWorkerExternalId: "W-404" }] }),
        line("B-5", { plans: [{ startDate: "2026-06-01", endDate: "2026-07-01", categories: ["neglect"] }] }),
        line("B-1"),
        line("B-7", { authority: "ELSE" }),
      ]),
    );
    const p = expectProblem(res, 422);
    expect(p.detail).toMatch(/6 of 7 lines are not valid; nothing was imported/);
    expect(res.body.lines).toEqual([
      { line: 2, errors: [{ path: "dateOfBirth", message: expect.any(String) }] },
      { line: 3, errors: [{ path: "(line)", message: "is not valid JSON" }] },
      { line: 4, errors: [{ path: "cases.0.keyWorkerExternalId", message: "no worker W-404 in IMP" }] },
      { line: 5, errors: [{ path: "plans.0.endReason", message: expect.any(String) }] },
      { line: 6, errors: [{ path: "externalId", message: expect.stringMatching(/earlier line/) }] },
      { line: 7, errors: [{ path: "authority", message: "is not one of your authorities" }] },
    ]);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("is for designated managers, as NDJSON", async () => {
    const duty = await t.token({ sub: "edt-imp", roles: ["duty_officer"], authorities: ["IMP"] });
    expectProblem(await post(ndjson([line("C-1")]), duty), 403);
    expectProblem(await post(ndjson([line("C-1")]), dm, "text/csv"), 415);
    expect((await t.client.execute("SELECT count(*) AS n FROM children WHERE external_id = 'C-1'")).rows[0]!.n).toBe(0);
  });

  it("records the import in the audit log", async () => {
    // An import of its own: three new children.
    expect(
      (await post(ndjson([line("LOG-1"), line("LOG-2", { givenNames: "Oliver" }), line("LOG-3", { givenNames: "Ruby" })]))).status,
    ).toBe(200);
    const { rows } = await t.client.execute("SELECT detail FROM audit_log WHERE action = 'register.import' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(rows[0]!.detail))).toEqual({ created: 3, updated: 0, unchanged: 0, lines: 3 });
  });

  it("a line whose current plan would clash with one already on the register is refused before anything is written", async () => {
    const made = await t.call("POST", "/v1/children", {
      token: dm,
      body: { authority: "IMP", externalId: "CLASH-1", givenNames: "Ivy", familyName: "Marsh", dateOfBirth: "2018-02-02" },
    });
    expect(made.status).toBe(201);
    expect(
      (
        await t.call("POST", `/v1/children/${made.body.id}/plans`, {
          token: dm,
          body: { startDate: "2026-11-20", categories: ["physical_abuse"] },
        })
      ).status,
    ).toBe(201);
    const before = await tableCounts(t.client, ["audit_log", "audit_subjects"]);
    const clash = line("CLASH-1", { givenNames: "Ivy", familyName: "Marsh", dateOfBirth: "2018-02-02", cases: [], conferences: [] });
    const refused = await post(ndjson([line("CLASH-NEW"), clash]));
    expectProblem(refused, 422);
    expect(refused.body.lines).toEqual([
      { line: 2, errors: [{ path: "plans", message: expect.stringContaining("current plan from 2026-11-20") }] },
    ]);
    expect(await tableCounts(t.client, ["audit_log", "audit_subjects"])).toEqual(before);

    // Listing the register's plan (here ended by the case system) settles it.
    const settled = line("CLASH-1", {
      givenNames: "Ivy",
      familyName: "Marsh",
      dateOfBirth: "2018-02-02",
      cases: [],
      conferences: [],
      plans: [
        { startDate: "2026-06-01", endDate: "2026-11-19", endReason: "no_longer_at_risk", categories: ["neglect"] },
        { startDate: "2026-11-20", categories: ["physical_abuse"] },
      ],
    });
    expect((await post(ndjson([settled]))).status).toBe(200);
    expect((await childByExternal("CLASH-1")).plans).toHaveLength(2);
  });
});

describe("each child an import creates or changes is audited against that child", () => {
  it("shows the import that created a child and the one that changed its plan's categories in the child's audit trail", async () => {
    const auditor = await t.token({ sub: "aud-imp", roles: ["auditor"], authorities: ["IMP"] });
    const trail = async (childId: string) =>
      (
        (await t.call("GET", `/v1/audit?childId=${childId}`, { token: auditor })).body.items as {
          action: string;
          target: unknown;
          authority: string;
          detail: any;
        }[]
      ).filter((e) => e.action.startsWith("register.import"));

    expect((await post(ndjson([line("AUD-1"), line("AUD-2", { givenNames: "Oliver" })]))).body).toMatchObject({ created: 2 });
    const { rows } = await t.client.execute(
      "SELECT id, external_id FROM children WHERE external_id IN ('AUD-1', 'AUD-2') ORDER BY external_id",
    );
    const [one, two] = rows.map((r) => String(r.id));
    expect(await trail(one!)).toEqual(
      [
        {
          action: "register.import.child",
          target: { type: "child", id: one },
          authority: "IMP",
          detail: { externalId: "AUD-1", change: "created" },
        },
      ].map((e) => expect.objectContaining(e)),
    );

    // The next night AUD-1's plan is for physical abuse instead; AUD-2 is exported unchanged.
    const second = await post(
      ndjson([
        line("AUD-1", { plans: [{ startDate: "2026-06-01", categories: ["physical_abuse"] }] }),
        line("AUD-2", { givenNames: "Oliver" }),
      ]),
    );
    expect(second.body).toMatchObject({ updated: 1, unchanged: 1 });
    const entries = await trail(one!);
    expect(entries.map((e) => e.detail)).toEqual([
      { externalId: "AUD-1", change: "updated", parts: ["planCategories"] },
      { externalId: "AUD-1", change: "created" },
    ]);
    expect(await trail(two!)).toHaveLength(1);

    // The per-child entries are links of the one chain, like any other entry.
    expect((await t.call("GET", "/v1/audit/verify", { token: auditor })).body).toMatchObject({ ok: true });
  });

  it("names the parts of the record an update changed", async () => {
    await post(ndjson([line("AUD-3")]));
    const res = await post(
      ndjson([
        line("AUD-3", {
          aliases: [{ familyName: "Cole" }, { givenNames: "Millie" }],
          householdNote: "Lives with grandmother",
          conferences: [
            { type: "initial", heldOn: "2026-06-01", outcome: "plan" },
            { type: "review", heldOn: "2026-09-01", outcome: "plan" },
          ],
        }),
      ]),
    );
    expect(res.body).toMatchObject({ updated: 1 });
    const { rows } = await t.client.execute(
      "SELECT detail FROM audit_log WHERE action = 'register.import.child' ORDER BY seq DESC LIMIT 1",
    );
    expect(JSON.parse(String(rows[0]!.detail))).toEqual({
      externalId: "AUD-3",
      change: "updated",
      parts: ["details", "aliases", "conferences"],
    });
  });
});

describe("an import line has a length limit", () => {
  it("refuses a 100 KB line with 422 naming it, and writes nothing", async () => {
    const before = await tableCounts(t.client, ["audit_log", "audit_subjects"]);
    const long = JSON.stringify(line("LONG-2", { householdNote: "x".repeat(100_000) }));
    const res = await post(ndjson([line("LONG-1"), long, line("LONG-3")]));
    const p = expectProblem(res, 422);
    expect(p.detail).toMatch(/^Line 2 is longer than 65536 bytes/);
    expect(res.body.lines).toEqual([
      { line: 2, errors: [{ path: "(line)", message: expect.stringContaining("longer than 65536 bytes") }] },
    ]);
    expect(await tableCounts(t.client, ["audit_log", "audit_subjects"])).toEqual(before);
    // A line at the limit is read as any other (here refused only for what it says).
    const atLimit = JSON.stringify({ authority: "IMP", externalId: "LONG-4", pad: "x".repeat(MAX_LINE_BYTES - 50) });
    expect(Buffer.byteLength(atLimit)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const refused = await post(`${atLimit}\r\n`);
    expect(refused.body.lines[0].errors.map((e: { path: string }) => e.path)).not.toContain("(line)");
  });

  it("stops reading a line as soon as it passes the limit, rather than holding it whole", async () => {
    const chunk = 64 * 1024;
    let pulled = 0;
    async function* source() {
      const first = new TextEncoder().encode('{"first":true}\n');
      pulled += first.byteLength;
      yield first;
      // A 64 MB line in the middle of the file, then an ordinary one.
      for (let i = 0; i < 1024; i++) {
        pulled += chunk;
        yield new Uint8Array(chunk).fill(0x61);
      }
      yield new TextEncoder().encode("\n{}\n");
    }
    const seen: string[] = [];
    const read = (async () => {
      for await (const l of lines(source())) seen.push(l);
    })();
    await expect(read).rejects.toMatchObject({ status: 422, line: 2 });
    expect(seen).toEqual(['{"first":true}']);
    expect(pulled).toBeLessThanOrEqual(MAX_LINE_BYTES + 2 * chunk);
  });
});
