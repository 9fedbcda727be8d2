import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./support/app";
import { createAuthority, createChild, staffTokens } from "./support/fixtures";

let t: TestApp;
let auditor: string;
beforeEach(async () => {
  t = await createTestApp();
  const tokens = await staffTokens(t, "CHAIN");
  auditor = tokens.auditor;
  await createAuthority(t, tokens.dm, "CHAIN");
  const child = await createChild(t, tokens.dm, "CHAIN");
  for (let i = 0; i < 5; i++) await t.call("GET", `/v1/children/${child.id}`, { token: tokens.dm });
  await t.call("GET", "/v1/children/nope", { token: tokens.dm });
});
afterEach(() => t.close());

const verify = async () => (await t.call("GET", "/v1/audit/verify", { token: auditor })).body;
const seqs = async () => (await t.client.execute("SELECT seq FROM audit_log ORDER BY seq")).rows.map((r) => Number(r.seq));

describe("the tamper-evident audit log", () => {
  it("verifies a chain nobody touched", async () => {
    const n = (await seqs()).length;
    expect(await verify()).toEqual({ ok: true, checked: n, firstBrokenId: null, checkpoints: [] });
    // The verification was itself recorded, and the chain still holds.
    expect((await verify()).ok).toBe(true);
  });

  it("names a row whose content was changed in the database file", async () => {
    const [, , third] = await seqs();
    await t.client.execute({ sql: "UPDATE audit_log SET user_id = 'someone-else' WHERE seq = ?", args: [third!] });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(third) });
  });

  it("names a row whose detail was edited", async () => {
    const { rows } = await t.client.execute("SELECT seq FROM audit_log WHERE detail IS NOT NULL ORDER BY seq LIMIT 1");
    const seq = Number(rows[0]!.seq);
    await t.client.execute({ sql: "UPDATE audit_log SET detail = '{\"fields\":[]}' WHERE seq = ?", args: [seq] });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(seq) });
  });

  it("names the row after a deleted one", async () => {
    const all = await seqs();
    await t.client.execute({ sql: "DELETE FROM audit_subjects WHERE audit_seq = ?", args: [all[3]!] });
    await t.client.execute({ sql: "DELETE FROM audit_log WHERE seq = ?", args: [all[3]!] });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(all[4]) });
  });

  it("names the first of two rows swapped", async () => {
    const all = await seqs();
    const [a, b] = [all[2]!, all[3]!];
    const cols = "at, user_id, roles, action, target_type, target_id, authority, request_id, outcome, detail, subjects, prev_hash, hash";
    const row = async (s: number) => (await t.client.execute({ sql: `SELECT ${cols} FROM audit_log WHERE seq = ?`, args: [s] })).rows[0]!;
    const [ra, rb] = [await row(a), await row(b)];
    const set = cols
      .split(", ")
      .map((c) => `${c} = ?`)
      .join(", ");
    const values = (r: Record<string, unknown>) => cols.split(", ").map((c) => r[c] as string | null);
    await t.client.execute("PRAGMA foreign_keys = OFF");
    await t.client.execute({ sql: `UPDATE audit_log SET ${set} WHERE seq = ?`, args: [...values(rb), a] });
    await t.client.execute({ sql: `UPDATE audit_log SET ${set} WHERE seq = ?`, args: [...values(ra), b] });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(a) });
  });

  it("is for auditors only", async () => {
    const dm = await t.token({ roles: ["designated_manager"], authorities: ["CHAIN"] });
    expect((await t.call("GET", "/v1/audit/verify", { token: dm })).status).toBe(403);
  });
});
