import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/db/migrate";
import { createTestApp, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, queueItem, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";

/**
 * Seed 004 §72: children moved in are the most vulnerable. A plan child whom no key worker with
 * a login here can be told of (a temporary plan, a plan with no open case) must not make an
 * enquiry go unheard: the answer names whose plan it is and who to ring there, and the
 * designated manager is alerted, in the service and in the custodian's mailbox.
 */
let t: TestApp;
beforeAll(async () => {
  // Tuesday 15 December 2026, 10:00 in London.
  t = await createTestApp({ now: "2026-12-15T10:00:00Z" });
});
afterAll(() => t.close());

async function authority(code: string) {
  const s = await setupAuthority(t, code);
  const put = await t.call("PUT", `/v1/authorities/${code}/delivery`, {
    token: s.tokens.dm,
    body: { custodianEmail: `custodian@${code.toLowerCase()}.example.org`, webhook: null },
  });
  expect(put.status).toBe(200);
  return s;
}

const moveIn = (code: string) => ({
  authority: code,
  child: {
    givenNames: "Kai",
    familyName: "Okafor",
    dateOfBirth: "2018-07-30",
    addresses: [{ line1: "4 Canal Walk", town: "Stafford", postcode: "ST16 3AA", from: "2026-12-14" }],
  },
  moveDate: "2026-12-14",
  status: "actual",
  originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
  originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
  plan: { startDate: "2026-09-01", categories: ["neglect"] },
});

const alerts = async (token: string) =>
  (await t.call("GET", "/v1/alerts", { token })).body.items.filter((a: { kind: string }) => a.kind === "enquiry_without_key_worker");

const custodianMail = async (code: string) =>
  (
    await t.client.execute({
      sql: "SELECT recipient, payload FROM outbox WHERE authority = ? AND kind = 'enquiry_without_key_worker'",
      args: [code],
    })
  ).rows.map((r) => ({ recipient: String(r.recipient), payload: JSON.parse(String(r.payload)) }));

describe("a child moved in on a temporary plan", () => {
  it("is answered with the originating authority, its custodian and the key worker there; the manager is alerted and emailed", async () => {
    const s = await authority("TMPA");
    const moved = await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn("TMPA") });
    expect(moved.status).toBe(201);
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("TMPA", { givenNames: "Kai", familyName: "Okafor", dateOfBirth: "2018-07-30" }),
    );
    const item = await queueItem(t, s.tokens.edt, e.id);
    expect(item.answer.currentPlan).toMatchObject({
      temporary: true,
      originatingAuthority: {
        name: "Birmingham City Council",
        custodianPhone: "+441213031888",
        keyWorker: { name: "Priya Shah", phone: "+441213032000" },
      },
    });
    expect(item.answer.case).toEqual({ status: "never", keyWorker: null });

    expect(await alerts(s.tokens.dm)).toEqual([
      {
        id: expect.any(String),
        kind: "enquiry_without_key_worker",
        authority: "TMPA",
        enquiryId: e.id,
        childId: moved.body.childId,
        reason: "enquiry_about_plan_child",
        createdAt: "2026-12-15T10:00:00.000Z",
      },
    ]);
    const mail = await custodianMail("TMPA");
    expect(mail).toHaveLength(1);
    expect(mail[0]!.recipient).toBe("custodian@tmpa.example.org");
    expect(mail[0]!.payload.reference).toBe(e.reference);
    // A reference and a link, never the child's details.
    expect(JSON.stringify(mail[0]!.payload)).not.toMatch(/Kai|Okafor|2018-07-30|Canal/);
  });

  it("alerts the manager when another child is enquired about at the temporary plan child's address", async () => {
    const s = await authority("TMPB");
    const moved = await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn("TMPB") });
    const e = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "TMPB",
        { givenNames: "Leo", familyName: "Grant", dateOfBirth: "2021-03-03" },
        {
          callbackNumber: "0113 496 0200",
          addresses: [{ line1: "4 Canal Walk", town: "Stafford", postcode: "ST16 3AA", current: true }],
        },
      ),
    );
    expect(await alerts(s.tokens.dm)).toEqual([
      expect.objectContaining({ enquiryId: e.id, childId: moved.body.childId, reason: "enquiry_at_same_address" }),
    ]);
    expect(await custodianMail("TMPB")).toHaveLength(1);
  });

  it("reads the answer stored before migration 0022, when it said only the authority's name, as the object", async () => {
    const s = await authority("TMPM");
    await t.call("POST", "/v1/moves-in", { token: s.tokens.dm, body: moveIn("TMPM") });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("TMPM", { givenNames: "Kai", familyName: "Okafor", dateOfBirth: "2018-07-30" }),
    );
    await t.client.execute({
      sql: "UPDATE enquiries SET answer = json_set(answer, '$.currentPlan.originatingAuthority', 'Birmingham City Council') WHERE id = ?",
      args: [e.id],
    });
    const sql = readFileSync(join(MIGRATIONS_FOLDER, "0022_temporary_plan_origin.sql"), "utf8");
    for (const statement of sql.split("--> statement-breakpoint")) await t.client.execute(statement);
    const row = (await t.client.execute({ sql: "SELECT answer FROM enquiries WHERE id = ?", args: [e.id] })).rows[0]!;
    expect(JSON.parse(String(row.answer)).currentPlan.originatingAuthority).toEqual({
      name: "Birmingham City Council",
      custodianPhone: null,
      keyWorker: null,
    });
  });
});

describe("a plan child here", () => {
  it("with an open case held by a key worker with a login: the key worker is told and the manager is not alerted", async () => {
    const s = await authority("TMPC");
    await planChild(t, s);
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("TMPC", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
    );
    const inbox = (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items;
    expect(inbox.map((n: { enquiry: { reference: string } }) => n.enquiry.reference)).toEqual([e.reference]);
    expect(await alerts(s.tokens.dm)).toEqual([]);
    expect(await custodianMail("TMPC")).toEqual([]);
  });

  it("with no open case: the manager is alerted", async () => {
    const s = await authority("TMPD");
    const child = await createChild(t, s.tokens.dm, "TMPD", {
      givenNames: "Nia",
      familyName: "Bell",
      aliases: [],
      dateOfBirth: "2015-05-05",
      addresses: [],
    });
    expect(
      (
        await t.call("POST", `/v1/children/${child.id}/plans`, {
          token: s.tokens.dm,
          body: { startDate: "2026-06-01", categories: ["neglect"] },
        })
      ).status,
    ).toBe(201);
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("TMPD", { givenNames: "Nia", familyName: "Bell", dateOfBirth: "2015-05-05" }),
    );
    expect(await alerts(s.tokens.dm)).toEqual([
      expect.objectContaining({ enquiryId: e.id, childId: child.id, reason: "enquiry_about_plan_child" }),
    ]);
  });

  it("with an open case whose key worker has no login: the worker's notice is kept and the manager is alerted too", async () => {
    const s = await authority("TMPE");
    const child = await createChild(t, s.tokens.dm, "TMPE", {
      givenNames: "Ola",
      familyName: "Reyes",
      aliases: [],
      dateOfBirth: "2014-04-04",
      addresses: [],
    });
    const worker = await t.call("POST", "/v1/workers", {
      token: s.tokens.dm,
      body: { authority: "TMPE", name: "Pat Nolan", email: "pat@example.org" },
    });
    await t.call("POST", `/v1/children/${child.id}/cases`, {
      token: s.tokens.dm,
      body: { type: "child_protection", openedOn: "2026-05-20", keyWorkerId: worker.body.id },
    });
    await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: s.tokens.dm,
      body: { startDate: "2026-06-01", categories: ["neglect"] },
    });
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("TMPE", { givenNames: "Ola", familyName: "Reyes", dateOfBirth: "2014-04-04" }),
    );
    const emailed = await t.client.execute({
      sql: "SELECT recipient FROM outbox WHERE authority = 'TMPE' AND kind = 'key_worker_notification'",
      args: [],
    });
    expect(emailed.rows.map((r) => r.recipient)).toEqual(["pat@example.org"]);
    expect(await alerts(s.tokens.dm)).toEqual([expect.objectContaining({ enquiryId: e.id, reason: "enquiry_about_plan_child" })]);
  });

  it("a child with no plan and no open case makes no such alert", async () => {
    const s = await authority("TMPF");
    await createChild(t, s.tokens.dm, "TMPF", {
      givenNames: "Rae",
      familyName: "Moss",
      aliases: [],
      dateOfBirth: "2013-03-03",
      addresses: [],
    });
    await enquire(t, s.tokens.sergeant, enquiryBody("TMPF", { givenNames: "Rae", familyName: "Moss", dateOfBirth: "2013-03-03" }));
    expect(await alerts(s.tokens.dm)).toEqual([]);
  });
});
