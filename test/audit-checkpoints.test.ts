import { createPublicKey, verify as verifySignature } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chainText } from "../src/audit/audit.service";
import { checkpointMessage, sendCheckpoints } from "../src/audit/checkpoints";
import { keyedHash, plainHash, signerFor } from "../src/audit/keys";
import { dispatchDue } from "../src/notifications/dispatch";
import { createTestApp, TEST_SECRET, type TestApp } from "./support/app";
import { createAuthority, createChild, staffTokens } from "./support/fixtures";
import { run } from "./support/server";

// What someone who can write the database file (and knows the algorithm, not the key) can do to the log.
let t: TestApp;
let auditor: string;
let dm: string;
let childId: string;
beforeEach(async () => {
  t = await createTestApp();
  const tokens = await staffTokens(t, "CKPT");
  auditor = tokens.auditor;
  dm = tokens.dm;
  await createAuthority(t, dm, "CKPT");
  childId = (await createChild(t, dm, "CKPT")).id;
  for (let i = 0; i < 4; i++) await t.call("GET", `/v1/children/${childId}`, { token: dm });
});
afterEach(() => t.close());

const COLS =
  "seq, at, user_id, roles, action, target_type, target_id, authority, request_id, outcome, detail, subjects, prev_hash, hash, keyed";
const rows = async () => (await t.client.execute(`SELECT ${COLS} FROM audit_log ORDER BY seq`)).rows;
const textOf = (r: Record<string, unknown>, prevHash: string | null) =>
  chainText({
    seq: Number(r.seq),
    at: String(r.at),
    userId: (r.user_id as string | null) ?? null,
    roles: String(r.roles),
    action: String(r.action),
    targetType: (r.target_type as string | null) ?? null,
    targetId: (r.target_id as string | null) ?? null,
    authority: (r.authority as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
    outcome: String(r.outcome),
    detail: (r.detail as string | null) ?? null,
    subjects: (r.subjects as string | null) ?? null,
    prevHash,
  });

/** Deletes one row and recomputes every later row's link and hash with `hash`, as a forger would. */
async function deleteAndRehash(seq: number, hash: (text: string) => string, opts: { keyed: boolean; renumber?: boolean }) {
  await t.client.execute("PRAGMA foreign_keys = OFF");
  await t.client.execute({ sql: "DELETE FROM audit_subjects WHERE audit_seq = ?", args: [seq] });
  await t.client.execute({ sql: "DELETE FROM audit_log WHERE seq = ?", args: [seq] });
  const all = await rows();
  let prev: string | null = null;
  for (const r of all) {
    if (Number(r.seq) > seq) {
      const h = hash(textOf(r, prev));
      await t.client.execute({
        sql: "UPDATE audit_log SET prev_hash = ?, hash = ?, keyed = ? WHERE seq = ?",
        args: [prev, h, opts.keyed ? 1 : 0, Number(r.seq)],
      });
      prev = h;
    } else prev = String(r.hash);
  }
}

const verify = async (checkpoints?: unknown[]) =>
  checkpoints
    ? (await t.call("POST", "/v1/audit/verify", { token: auditor, body: { checkpoints } })).body
    : (await t.call("GET", "/v1/audit/verify", { token: auditor })).body;

describe("keyed row hashes", () => {
  it("a row deleted and every later row rehashed with plain SHA-256 no longer verifies", async () => {
    const victim = Number((await rows())[3]!.seq);
    await deleteAndRehash(victim, plainHash, { keyed: false });
    expect((await verify()).ok).toBe(false);
    // Nor claimed as keyed: without the key the hashes cannot be made to agree.
    await deleteAndRehash(victim + 1, plainHash, { keyed: true });
    expect((await verify()).ok).toBe(false);
  });

  it("a gap in seq is named even when every hash and link agree (someone with the key)", async () => {
    const all = await rows();
    const victim = Number(all[2]!.seq);
    await deleteAndRehash(victim, (text) => keyedHash(t.config.audit.hashKey, text), { keyed: true });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(victim + 1) });
  });

  it('a whole log rewritten as unkeyed rows ("written before the key") does not verify', async () => {
    let prev: string | null = null;
    for (const r of await rows()) {
      const h = plainHash(textOf(r, prev));
      await t.client.execute({
        sql: "UPDATE audit_log SET prev_hash = ?, hash = ?, keyed = 0 WHERE seq = ?",
        args: [prev, h, Number(r.seq)],
      });
      prev = h;
    }
    await t.client.execute("DELETE FROM audit_checkpoints");
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: "1" });
  });

  it("an entry slipped in before seq 1 is walked and refused, not just listed", async () => {
    await t.client.execute("PRAGMA foreign_keys = OFF");
    await t.client.execute({
      sql: "INSERT INTO audit_log (seq, at, user_id, roles, action, target_type, target_id, authority, request_id, outcome, detail, subjects, prev_hash, hash, keyed) VALUES (-1, '2026-11-23T10:00:00.000Z', 'innocent-user', '[\"designated_manager\"]', 'child.read', 'child', ?, 'CKPT', 'forged', 'ok', NULL, ?, NULL, 'x', 1)",
      args: [childId, JSON.stringify([childId])],
    });
    await t.client.execute({ sql: "INSERT INTO audit_subjects (audit_seq, child_id) VALUES (-1, ?)", args: [childId] });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: "-1" });
  });

  it("the index of who saw a child must agree with the entries: a link removed, or one added for no entry, is named", async () => {
    const [link] = (
      await t.client.execute({ sql: "SELECT audit_seq FROM audit_subjects WHERE child_id = ? ORDER BY audit_seq LIMIT 1", args: [childId] })
    ).rows;
    await t.client.execute({
      sql: "DELETE FROM audit_subjects WHERE audit_seq = ? AND child_id = ?",
      args: [Number(link!.audit_seq), childId],
    });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: String(link!.audit_seq) });
    await t.client.execute({
      sql: "INSERT INTO audit_subjects (audit_seq, child_id) VALUES (?, ?)",
      args: [Number(link!.audit_seq), childId],
    });
    expect((await verify()).ok).toBe(true);
    await t.client.execute("PRAGMA foreign_keys = OFF");
    await t.client.execute({ sql: "INSERT INTO audit_subjects (audit_seq, child_id) VALUES (99999, ?)", args: [childId] });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenId: "99999" });
  });
});

describe("a log written before the key (npm run audit:rekey)", () => {
  const toLegacy = async () => {
    let prev: string | null = null;
    for (const r of await rows()) {
      const h = plainHash(textOf(r, prev));
      await t.client.execute({
        sql: "UPDATE audit_log SET prev_hash = ?, hash = ?, keyed = 0 WHERE seq = ?",
        args: [prev, h, Number(r.seq)],
      });
      prev = h;
    }
  };
  const rekey = () =>
    run(process.execPath, ["--import", "tsx", "scripts/audit-rekey.ts"], {
      APP_ENV: "test",
      DATABASE_URL: `file:${t.dbPath}`,
      AUTH_JWT_SECRET: TEST_SECRET,
      AUDIT_HASH_KEY: t.config.audit.hashKey,
    });

  it("is checked whole, keyed once by the operator, and then verifies", async () => {
    await toLegacy();
    expect((await verify()).ok).toBe(false);
    const res = await rekey();
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Keyed \d+ entries/);
    expect((await verify()).ok).toBe(true);
    expect((await rows()).some((r) => r.action === "audit.rekey")).toBe(true);
    expect((await rekey()).stdout).toMatch(/already keyed/);
  });

  it("is refused, and left as it was, when its plain chain does not hold", async () => {
    await toLegacy();
    await t.client.execute("UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 2");
    const before = JSON.stringify(await rows());
    const res = await rekey();
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/breaks at entry 2: nothing was changed/);
    expect(JSON.stringify(await rows())).toBe(before);
  });
});

describe("checkpoints", () => {
  it("are signed with the key served at /v1/audit/public-key (no token), over the documented text, and cover their own issue", async () => {
    const jwk = (await t.call("GET", "/v1/audit/public-key")).body;
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    expect(jwk.d).toBeUndefined();
    const res = await t.call("GET", "/v1/audit/checkpoint", { token: auditor });
    expect(res.status).toBe(200);
    const cp = res.body;
    const tip = (await rows()).at(-1)!;
    expect(cp).toMatchObject({ seq: Number(tip.seq), hash: String(tip.hash) });
    expect(tip.action).toBe("audit.checkpoint");
    // Checked with Node's own Ed25519, not the service's library.
    const key = createPublicKey({ key: jwk, format: "jwk" });
    expect(verifySignature(null, Buffer.from(checkpointMessage(cp)), key, Buffer.from(cp.signature, "base64url"))).toBe(true);
    expect(
      verifySignature(null, Buffer.from(checkpointMessage({ ...cp, seq: cp.seq + 1 })), key, Buffer.from(cp.signature, "base64url")),
    ).toBe(false);
  });

  it("are for auditors only", async () => {
    expect((await t.call("GET", "/v1/audit/checkpoint", { token: dm })).status).toBe(403);
    expect((await t.call("POST", "/v1/audit/verify", { token: dm, body: { checkpoints: [] } })).status).toBe(403);
    expect((await t.call("GET", "/v1/audit/checkpoint")).status).toBe(401);
  });

  it("catch the newest rows cut off, even when the stored checkpoints were deleted too", async () => {
    const cp = (await t.call("GET", "/v1/audit/checkpoint", { token: auditor })).body;
    expect(await verify([cp])).toMatchObject({ ok: true, checkpoints: [{ seq: cp.seq, ok: true }] });
    await t.client.execute("PRAGMA foreign_keys = OFF");
    await t.client.execute({ sql: "DELETE FROM audit_subjects WHERE audit_seq >= ?", args: [cp.seq - 2] });
    await t.client.execute({ sql: "DELETE FROM audit_log WHERE seq >= ?", args: [cp.seq - 2] });
    await t.client.execute("DELETE FROM audit_checkpoints");
    // The chain that is left is whole: only the checkpoint shows what is missing.
    expect((await verify()).ok).toBe(true);
    expect(await verify([cp])).toMatchObject({ ok: false, checkpoints: [{ seq: cp.seq, ok: false }] });
  });

  it("catch a log cut and then written on (the same seq, another hash)", async () => {
    const cp = (await t.call("GET", "/v1/audit/checkpoint", { token: auditor })).body;
    await t.client.execute("PRAGMA foreign_keys = OFF");
    await t.client.execute({ sql: "DELETE FROM audit_subjects WHERE audit_seq >= ?", args: [cp.seq - 1] });
    await t.client.execute({ sql: "DELETE FROM audit_log WHERE seq >= ?", args: [cp.seq - 1] });
    await t.client.execute("DELETE FROM audit_checkpoints");
    for (let i = 0; i < 3; i++) await t.call("GET", `/v1/children/${childId}`, { token: dm });
    expect(await verify([cp])).toMatchObject({ ok: false, checkpoints: [{ seq: cp.seq, ok: false }] });
  });

  it("the service's own stored checkpoints catch a cut without an auditor's copy", async () => {
    const cp = (await t.call("GET", "/v1/audit/checkpoint", { token: auditor })).body;
    await t.client.execute("PRAGMA foreign_keys = OFF");
    await t.client.execute({ sql: "DELETE FROM audit_log WHERE seq >= ?", args: [cp.seq] });
    expect((await verify()).ok).toBe(false);
  });

  it("a checkpoint not signed by the service, or altered, is not ok", async () => {
    const cp = (await t.call("GET", "/v1/audit/checkpoint", { token: auditor })).body;
    const forged = { ...cp, at: "2020-01-01T00:00:00.000Z" };
    expect(await verify([cp, forged])).toMatchObject({ ok: false, checkpoints: [{ ok: true }, { ok: false }] });
    const bad = await t.call("POST", "/v1/audit/verify", { token: auditor, body: { checkpoints: [{ seq: "x" }] } });
    expect(bad.status).toBe(422);
    // The spare bits of the last character: one signature has one spelling.
    const last = cp.signature.at(-1);
    const respelt = { ...cp, signature: cp.signature.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1) };
    expect((await t.call("POST", "/v1/audit/verify", { token: auditor, body: { checkpoints: [respelt] } })).status).toBe(422);
  });
});

describe("checkpoints sent to each authority's case system", () => {
  it("go at least daily by the signed webhook, whole, and not more often than due", async () => {
    const put = await t.call("PUT", "/v1/authorities/CKPT/delivery", {
      token: dm,
      body: { custodianEmail: null, webhook: { url: "https://case-system.example/register-hooks", secret: "w".repeat(40) } },
    });
    expect(put.status).toBe(200);
    const signer = signerFor(t.config);
    expect(await sendCheckpoints(t.store, t.clock, signer, 24)).toEqual({ sent: 1 });
    expect(await sendCheckpoints(t.store, t.clock, signer, 24)).toEqual({ sent: 0 });
    const posted: { url: string; body: any }[] = [];
    const fetchStub = (async (url: string, init: RequestInit) => {
      posted.push({ url, body: JSON.parse(String(init.body)) });
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    await dispatchDue(
      t.store,
      t.clock,
      { fetch: fetchStub },
      { publicUrl: "https://register.example", mailFrom: "r@example", webhookTargets: { appEnv: "test" } },
    );
    expect(posted).toHaveLength(1);
    const { checkpoint } = posted[0]!.body;
    expect(posted[0]!.body.type).toBe("audit_checkpoint");
    expect(await verify([checkpoint])).toMatchObject({ ok: true, checkpoints: [{ ok: true }] });
    // The hourly job sends the next within the day.
    t.clock.advance(23 * 3_600_000);
    expect(await sendCheckpoints(t.store, t.clock, signer, 24)).toEqual({ sent: 1 });
  });
});
