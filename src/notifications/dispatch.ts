/**
 * The dispatcher: sends what the outbox holds, by email and by signed webhook, and records
 * each attempt. Safe to run in several places and to be killed at any point:
 * - a row is leased before it is sent, so two dispatchers never send it at once;
 * - a row marked sent is never sent again; a send whose result was lost (a crash between the
 *   send and the mark) is retried once the lease runs out, with the same Message-ID / delivery
 *   id, so the receiver can tell it is the same message;
 * - failures are retried with growing delays, and after MAX_ATTEMPTS the row is marked failed
 *   (and stays visible in the inbox's delivery state).
 */
import { and, asc, eq, inArray, isNull, lt, lte, or } from "drizzle-orm";
import { authorities, outbox } from "../db/schema";
import type { Queryable, Store } from "../db/store";
import type { Clock } from "../lib/clock";
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from "./webhook-signature";
import { assertWebhookTarget, type ResolveHost, type WebhookTargetPolicy } from "./webhook-target";

export const MAX_ATTEMPTS = 10;
/** Longer than any one send may take (webhook 10 s, SMTP timeouts 30 s): a lease never runs out mid-send. */
const LEASE_MS = 5 * 60_000;
/** 30 s, 1 min, 2 min ... capped at 6 hours. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface Transports {
  /** Absent: email rows wait for a dispatcher that has one (Workers without a mail API). */
  sendMail?: ((m: Mail) => Promise<unknown>) | undefined;
  fetch: typeof fetch;
  /**
   * Resolves a webhook's host before each send, so a name that now points inside is refused.
   * Absent on Workers: they have no DNS API, and their fetch cannot reach private networks.
   */
  resolve?: ResolveHost | undefined;
}

export interface DispatchOptions {
  publicUrl: string;
  mailFrom: string;
  batch?: number;
  /** Where webhooks may go (https in production, never an internal address). */
  webhookTargets: WebhookTargetPolicy;
}

type Row = typeof outbox.$inferSelect;

export async function dispatchDue(
  store: Store,
  clock: Clock,
  t: Transports,
  opts: DispatchOptions,
): Promise<{ sent: number; retried: number; failed: number }> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const channels = t.sendMail ? (["email", "webhook"] as const) : (["webhook"] as const);
  const due = await store.read
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.status, "pending"),
        lte(outbox.nextAttemptAt, nowIso),
        inArray(outbox.channel, [...channels]),
        or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, nowIso)),
      ),
    )
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(opts.batch ?? 50);
  const result = { sent: 0, retried: 0, failed: 0 };
  for (const row of due) {
    // The clock is read for each row: a batch of slow sends must not leave later rows with a
    // lease already run out, or a signature timestamp the receiver takes for a replay.
    const at = clock.now();
    const atIso = at.toISOString();
    const leaseUntil = new Date(at.getTime() + LEASE_MS).toISOString();
    const leased = await store.write((tx) =>
      tx
        .update(outbox)
        .set({ leaseUntil })
        .where(and(eq(outbox.id, row.id), eq(outbox.status, "pending"), or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, atIso))))
        .returning({ id: outbox.id }),
    );
    if (!leased.length) continue;
    // Only the holder of this lease records the result.
    const mine = and(eq(outbox.id, row.id), eq(outbox.leaseUntil, leaseUntil));
    try {
      await send(store, row, t, opts, at);
      await store.write((tx) =>
        tx
          .update(outbox)
          .set({ status: "sent", sentAt: clock.now().toISOString(), attempts: row.attempts + 1, leaseUntil: null, lastError: null })
          .where(mine),
      );
      result.sent++;
    } catch (err) {
      const attempts = row.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      // The reason is kept for the inbox and the log; it never holds the webhook's secret.
      const reason = String((err as Error).message ?? err).slice(0, 300);
      await store.write((tx) =>
        tx
          .update(outbox)
          .set({
            attempts,
            status: failed ? "failed" : "pending",
            nextAttemptAt: new Date(clock.now().getTime() + backoffMs(attempts)).toISOString(),
            leaseUntil: null,
            lastError: reason,
          })
          .where(mine),
      );
      failed ? result.failed++ : result.retried++;
    }
  }
  return result;
}

async function send(store: Store, row: Row, t: Transports, opts: DispatchOptions, now: Date) {
  const link = `${opts.publicUrl.replace(/\/$/, "")}${row.payload.link}`;
  if (row.channel === "email") {
    await t.sendMail!({
      from: opts.mailFrom,
      to: row.recipient,
      subject: row.payload.subject,
      text: `${row.payload.text}\n\n${link}\n`,
      messageId: `<${row.id}@child-protection-register>`,
    });
    return;
  }
  const [a] = await store.read
    .select({ secret: authorities.webhookSecret, url: authorities.webhookUrl })
    .from(authorities)
    .where(eq(authorities.code, row.authority));
  if (!a?.secret || a.url !== row.recipient) throw new Error("the authority's webhook has been changed or removed since this was queued");
  // Again at send time: an address saved before this check existed, or a name that resolves
  // elsewhere now, is a failed attempt like any other, and nothing is posted.
  await assertWebhookTarget(row.recipient, opts.webhookTargets, t.resolve);
  const body = JSON.stringify({
    id: row.id,
    type: row.kind,
    authority: row.authority,
    reference: row.payload.reference,
    createdAt: row.createdAt,
    link,
    ...(row.payload.checkpoint ? { checkpoint: row.payload.checkpoint } : {}),
  });
  const res = await t.fetch(row.recipient, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: signWebhook(a.secret, body, Math.floor(now.getTime() / 1000)),
      [DELIVERY_HEADER]: row.id,
    },
    body,
    signal: AbortSignal.timeout(10_000),
    // A redirect is not followed: it would take the post to an address nobody checked.
    redirect: "manual",
  });
  if (!res.ok) throw new Error(`the webhook answered ${res.status}`);
}

/** Each notification's delivery state, for the key worker's inbox. */
type DeliveryState = Pick<Row, "channel" | "status" | "attempts" | "sentAt">;

export async function deliveriesOf(q: Queryable, sourceIds: string[]): Promise<Map<string, DeliveryState[]>> {
  if (!sourceIds.length) return new Map();
  const rows = await q
    .select({ sourceId: outbox.sourceId, channel: outbox.channel, status: outbox.status, attempts: outbox.attempts, sentAt: outbox.sentAt })
    .from(outbox)
    .where(inArray(outbox.sourceId, sourceIds))
    .orderBy(asc(outbox.channel));
  const by = new Map<string, DeliveryState[]>();
  for (const { sourceId, ...d } of rows) by.set(sourceId, [...(by.get(sourceId) ?? []), d]);
  return by;
}
