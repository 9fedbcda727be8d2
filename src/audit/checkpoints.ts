/**
 * Checkpoints: signed statements "the log held `seq` rows, the last with this hash, at this
 * time" (Certificate Transparency's signed tree heads). A row hash alone cannot show that
 * the newest rows were cut off; a checkpoint held outside the service can, and its signature
 * (Ed25519, AUDIT_SIGNING_KEY, not in the database) shows it came from the service.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { enqueue } from "../db/outbox";
import { auditCheckpoints, auditLog, authorities, outbox } from "../db/schema";
import type { Store, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import type { Clock } from "../lib/clock";
import { type AuditCtx, recordAudit, verifyAuditChain } from "./audit.service";
import { type AuditSigner, signerFor } from "./keys";

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  signature: string;
}

/** The exact bytes signed: versioned, so the statement cannot be read as anything else. */
export const checkpointMessage = (c: Pick<Checkpoint, "seq" | "hash" | "at">) =>
  `child-protection-register audit checkpoint v1\n${c.seq}\n${c.hash}\n${c.at}`;

/** Signs the log's tip as it stands in this transaction, and keeps the checkpoint. */
async function signTip(tx: Tx, signer: AuditSigner, at: string): Promise<Checkpoint> {
  const [tip] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const body = { seq: tip?.seq ?? 0, hash: tip?.hash ?? "", at };
  const checkpoint = { ...body, signature: signer.sign(checkpointMessage(body)) };
  await tx.insert(auditCheckpoints).values(checkpoint).onConflictDoNothing();
  return checkpoint;
}

/**
 * A checkpoint for an auditor. The entry recording the request is written first, so the
 * checkpoint covers its own issue.
 */
export function issueCheckpoint(ctx: Ctx): Promise<Checkpoint> {
  return ctx.store.write(async (tx) => {
    await recordAudit(tx, ctx, { action: "audit.checkpoint", target: null, authority: null });
    return signTip(tx, signerFor(ctx.config), ctx.clock.now().toISOString());
  });
}

export interface Verification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  checkpoints: { seq: number; ok: boolean }[];
}

/**
 * Walks the chain and checks each checkpoint against it: its signature must be the
 * service's, and the log must still hold its (seq, hash). A log shorter than a checkpoint,
 * or holding another hash at its seq, fails, and so does the whole answer. The newest of the
 * service's own stored checkpoints is checked too: a writer who cut the log and left that
 * is caught without an auditor's copy. The newest is enough, since every row before it is
 * bound to it by the keyed chain; and one signature check keeps the walk's cost flat however
 * many checkpoints have been issued.
 */
export async function verifyAgainstCheckpoints(store: Store, signer: AuditSigner, given: Checkpoint[]): Promise<Verification> {
  const [newestStored] = await store.read.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(1);
  const unique = [...new Map(given.map((c) => [`${c.seq}|${c.hash}|${c.at}|${c.signature}`, c])).values()];
  const genuine = new Map(unique.map((c) => [c, signer.verify(checkpointMessage(c), c.signature)]));
  const wanted = new Set([...unique.map((c) => c.seq), ...(newestStored ? [newestStored.seq] : [])]);
  const heldHashes = new Map<number, string>();
  const chain = await verifyAuditChain(store, (seq, hash) => {
    if (wanted.has(seq)) heldHashes.set(seq, hash);
  });
  const held = (c: Checkpoint) => (c.seq === 0 ? c.hash === "" : heldHashes.get(c.seq) === c.hash);
  const checkpoints = given.map((c) => {
    const u = unique.find((x) => x.seq === c.seq && x.hash === c.hash && x.at === c.at && x.signature === c.signature)!;
    return { seq: c.seq, ok: genuine.get(u)! && held(c) };
  });
  // A stored checkpoint not signed by the service was put there by someone else: that fails too.
  const storedOk = !newestStored || (signer.verify(checkpointMessage(newestStored), newestStored.signature) && held(newestStored));
  const ok = chain.ok && storedOk && checkpoints.every((c) => c.ok);
  return { ok, checked: chain.checked, firstBrokenId: chain.firstBrokenId, checkpoints };
}

/** The same walk, for an auditor, recorded with its result. */
export async function checkAuditLog(ctx: Ctx, given: Checkpoint[]): Promise<Verification> {
  const result = await verifyAgainstCheckpoints(ctx.store, signerFor(ctx.config), given);
  await ctx.store.write((tx) =>
    recordAudit(tx, ctx, {
      action: "audit.verify",
      target: null,
      detail: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId, checkpoints: result.checkpoints },
    }),
  );
  return result;
}

/**
 * The scheduled job: each authority with a webhook receives a checkpoint when the last it
 * was sent is `hours` old or more (the job runs hourly, so "at least daily" by default).
 * One checkpoint serves every authority due in this run.
 */
export async function sendCheckpoints(store: Store, clock: Clock, signer: AuditSigner, hours: number): Promise<{ sent: number }> {
  return store.write(async (tx) => {
    const now = clock.now();
    // An hour's slack, so an hourly job never lets the gap grow past `hours`.
    const cutoff = new Date(now.getTime() - Math.max(0, hours - 1) * 3_600_000).toISOString();
    const hooked = await tx.select({ code: authorities.code, url: authorities.webhookUrl }).from(authorities);
    const withHook = hooked.filter((a) => a.url).map((a) => a.code);
    if (!withHook.length) return { sent: 0 };
    const recent = await tx
      .select({ authority: outbox.authority, createdAt: outbox.createdAt })
      .from(outbox)
      .where(and(eq(outbox.kind, "audit_checkpoint"), inArray(outbox.authority, withHook)));
    const lastSent = new Map<string, string>();
    for (const r of recent) if ((lastSent.get(r.authority) ?? "") < r.createdAt) lastSent.set(r.authority, r.createdAt);
    const due = withHook.filter((code) => (lastSent.get(code) ?? "") <= cutoff);
    if (!due.length) return { sent: 0 };
    const ctx: AuditCtx = { store, clock, requestId: `job-checkpoint-${now.toISOString()}`, principal: null };
    await recordAudit(tx, ctx, { action: "audit.checkpoint", target: null, authority: null, detail: { sentTo: due } });
    const checkpoint = await signTip(tx, signer, now.toISOString());
    await enqueue(
      tx,
      now.toISOString(),
      due.map((authority) => ({
        authority,
        kind: "audit_checkpoint" as const,
        sourceId: `checkpoint-${checkpoint.seq}`,
        reference: null,
        emails: [],
        checkpoint,
      })),
    );
    return { sent: due.length };
  });
}
