import { and, asc, eq, gt, isNull, sql, sum } from "drizzle-orm";
import { enqueueForCustodian } from "../db/outbox";
import { prepared } from "../db/prepared";
import { enquiries, trawlAlerts } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { newId } from "../lib/ids";

export interface EnquiryLimit {
  max: number;
  windowMinutes: number;
}

/**
 * What one enquiry costs against the limit: every name it tests. Each alias is another search
 * of the register, so an enquiry with the child's name and two aliases costs three; counted
 * as one, twenty enquiries could have tested twenty-one names each.
 */
export const enquiryCost = (child: { aliases: readonly unknown[] }) => 1 + child.aliases.length;

// One enquiry checked against several authorities is one enquiry here, not several (group_id is null on the first).
const inWindow = () =>
  and(eq(enquiries.enquirerId, sql.placeholder("enquirer")), gt(enquiries.receivedAt, sql.placeholder("since")), isNull(enquiries.groupId));
const namesInWindow = prepared((q) =>
  q
    .select({ n: sum(enquiries.namesChecked) })
    .from(enquiries)
    .where(inWindow()),
);
const enquiriesInWindow = prepared((q) =>
  q.select({ at: enquiries.receivedAt, cost: enquiries.namesChecked }).from(enquiries).where(inWindow()).orderBy(asc(enquiries.receivedAt)),
);

/** The names this login's enquiries tested in the window (one enquiry once, however many authorities it went to). */
export async function recentEnquiryCost(q: Queryable, ctx: Ctx, limit: EnquiryLimit, now: Date): Promise<number> {
  const since = new Date(now.getTime() - limit.windowMinutes * 60_000).toISOString();
  const [row] = await namesInWindow(q).all({ enquirer: ctx.principal.userId, since });
  return Number(row?.n ?? 0);
}

/**
 * Whether an enquiry costing `cost` still fits in the allowance. One costing
 * more than the whole allowance (only possible with a limit set below the alias bound) is let
 * through on an empty window rather than refused for ever.
 */
export const fitsWithin = (used: number, cost: number, limit: EnquiryLimit) => used + Math.min(cost, limit.max) <= limit.max;

/**
 * Fishing control (api.md): one login may test `max` names in any `windowMinutes`. The
 * count is of enquiries in the database, so it holds across restarts and processes. Over the
 * limit, the designated manager is alerted once per window, and the caller is told how long
 * to wait. Runs inside the enquiry's own transaction, so concurrent enquiries count exactly.
 */
export async function overEnquiryLimit(tx: Tx, ctx: Ctx, authority: string, limit: EnquiryLimit, now: Date, cost: number) {
  const windowMs = limit.windowMinutes * 60_000;
  const since = new Date(now.getTime() - windowMs).toISOString();
  const recent = await enquiriesInWindow(tx).all({ enquirer: ctx.principal.userId, since });
  const names = recent.reduce((n, r) => n + r.cost, 0);
  if (fitsWithin(names, cost, limit)) return null;
  // The enquiry is allowed when enough of these have left the window for its names to fit.
  let remaining = names;
  let freesAt = now.getTime();
  for (const r of recent) {
    if (fitsWithin(remaining, cost, limit)) break;
    remaining -= r.cost;
    freesAt = Date.parse(r.at) + windowMs;
  }
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
  return { retryAfterSeconds, count: recent.length, names };
}
