import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../app-env";
import { enquiries, trawlAlerts } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import { newId } from "../lib/ids";
import { enqueueForCustodian } from "../notifications/outbox";

export interface EnquiryLimit {
  max: number;
  windowMinutes: number;
}

/**
 * Fishing control (api.md): one login may make `max` enquiries in any `windowMinutes`. The
 * count is of enquiries in the database, so it holds across restarts and processes. Over the
 * limit, the designated manager is alerted once per window, and the caller is told how long
 * to wait. Runs inside the enquiry's own transaction, so concurrent enquiries count exactly.
 */
/** How many enquiries this login made in the window (one per enquiry, however many authorities it went to). */
export async function recentEnquiryCount(q: Queryable, ctx: Ctx, limit: EnquiryLimit, now: Date): Promise<number> {
  const since = new Date(now.getTime() - limit.windowMinutes * 60_000).toISOString();
  const [row] = await q
    .select({ n: count() })
    .from(enquiries)
    .where(and(eq(enquiries.enquirerId, ctx.principal.userId), gt(enquiries.receivedAt, since), isNull(enquiries.groupId)));
  return row?.n ?? 0;
}

export async function overEnquiryLimit(tx: Tx, ctx: Ctx, authority: string, limit: EnquiryLimit, now: Date) {
  const windowMs = limit.windowMinutes * 60_000;
  const since = new Date(now.getTime() - windowMs).toISOString();
  const recent = await tx
    .select({ at: enquiries.receivedAt })
    .from(enquiries)
    // One enquiry checked against several authorities is one enquiry here, not several.
    .where(and(eq(enquiries.enquirerId, ctx.principal.userId), gt(enquiries.receivedAt, since), isNull(enquiries.groupId)))
    .orderBy(asc(enquiries.receivedAt));
  if (recent.length < limit.max) return null;
  // The next enquiry is allowed when enough of these have left the window.
  const freesAt = Date.parse(recent[recent.length - limit.max]!.at) + windowMs;
  const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
  const [alerted] = await tx
    .select({ id: trawlAlerts.id })
    .from(trawlAlerts)
    .where(and(eq(trawlAlerts.enquirerId, ctx.principal.userId), gt(trawlAlerts.at, since)))
    .limit(1);
  if (!alerted) {
    const id = newId();
    await tx.insert(trawlAlerts).values({
      id,
      authority,
      enquirerId: ctx.principal.userId,
      enquirerName: ctx.principal.name,
      profession: ctx.principal.profession,
      agency: ctx.principal.agency,
      at: now.toISOString(),
      enquiriesInWindow: recent.length,
      windowMinutes: limit.windowMinutes,
    });
    await enqueueForCustodian(tx, now.toISOString(), authority, "trawl_alert", id, null);
  }
  return { retryAfterSeconds, count: recent.length };
}
