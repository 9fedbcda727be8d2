import { and, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import { recordAudit, recordListAudit } from "../audit/audit.service";
import { children, enquiries, notifications, workers } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { notFound } from "../lib/errors";
import { formatReference } from "../lib/reference";
import { displayName } from "../register/names";
import { deliveriesOf } from "./dispatch";

/** The worker records linked to this login (api.md: whatever authorities the token lists). */
async function myWorkerIds(q: Queryable, ctx: Ctx) {
  return (await q.select({ id: workers.id }).from(workers).where(eq(workers.userId, ctx.principal.userId))).map((w) => w.id);
}

async function views(q: Queryable, ids: string[]) {
  if (!ids.length) return [];
  const rows = await q
    .select({
      n: notifications,
      e: enquiries,
      c: { id: children.id, givenNames: children.givenNames, familyName: children.familyName, authority: children.authority },
    })
    .from(notifications)
    .innerJoin(enquiries, eq(enquiries.id, notifications.enquiryId))
    .innerJoin(children, eq(children.id, notifications.childId))
    .where(inArray(notifications.id, ids))
    .orderBy(desc(notifications.id));
  const delivery = await deliveriesOf(
    q,
    rows.map((r) => r.n.id),
  );
  return rows.map(({ n, e, c }) => ({
    id: n.id,
    kind: n.kind,
    createdAt: n.createdAt,
    readAt: n.readAt,
    enquiry: {
      id: e.id,
      reference: formatReference(e.referenceNo),
      receivedAt: e.receivedAt,
      enquirer: { name: e.enquirerName, profession: e.enquirerProfession, agency: e.enquirerAgency },
      callbackNumber: e.callbackNumber,
      reason: e.details.reason,
    },
    child: { id: c.id, name: displayName(c.givenNames, c.familyName) },
    /** How the notification went out: email to the worker, the authority's case system. */
    delivery: delivery.get(n.id) ?? [],
    authority: c.authority,
  }));
}

/** A key worker's own inbox, newest first; what it shows is an audited read. */
export async function listNotifications(ctx: Ctx, opts: { unread: boolean; before?: string | undefined; limit: number }) {
  return ctx.store.write(async (tx) => {
    const mine = await myWorkerIds(tx, ctx);
    if (!mine.length) return [];
    const ids = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          inArray(notifications.workerId, mine),
          opts.unread ? isNull(notifications.readAt) : undefined,
          opts.before ? lt(notifications.id, opts.before) : undefined,
        ),
      )
      .orderBy(desc(notifications.id))
      .limit(opts.limit + 1);
    const items = await views(
      tx,
      ids.map((r) => r.id),
    );
    const shown = items.slice(0, opts.limit);
    await recordListAudit(tx, ctx, {
      action: "notification.list",
      items: shown.map((n) => ({ authority: n.authority, id: n.id, subjects: [n.child.id] })),
    });
    return items.map(({ authority: _a, ...n }) => n);
  });
}

/**
 * One of the caller's own notifications, or 404. One lookup by id answers both "is it yours?"
 * and, when it is not, whose authority the attempt is filed under (so that its auditor sees it
 * and no other authority's does).
 */
async function ownNotification(tx: Tx, ctx: Ctx, id: string) {
  const [found] = await tx
    .select({ n: notifications, userId: workers.userId, authority: workers.authority })
    .from(notifications)
    .innerJoin(workers, eq(workers.id, notifications.workerId))
    .where(eq(notifications.id, id));
  if (!found || found.userId !== ctx.principal.userId)
    throw notFound("The notification", { type: "notification", id, authority: found?.authority });
  return found.n;
}

/** The notification as it now stands, its reading audited. */
async function readNotification(tx: Tx, ctx: Ctx, id: string, childId: string) {
  const { authority, ...view } = (await views(tx, [id]))[0]!;
  await recordAudit(tx, ctx, { action: "notification.read", target: { type: "notification", id }, authority, subjects: [childId] });
  return view;
}

/** One of the key worker's own notifications, without marking it read. */
export async function getNotification(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const n = await ownNotification(tx, ctx, id);
    return readNotification(tx, ctx, id, n.childId);
  });
}

export async function markNotificationRead(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const n = await ownNotification(tx, ctx, id);
    if (!n.readAt) await tx.update(notifications).set({ readAt: ctx.clock.now().toISOString() }).where(eq(notifications.id, id));
    return readNotification(tx, ctx, id, n.childId);
  });
}
