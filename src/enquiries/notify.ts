import { and, desc, eq, exists, inArray, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { enqueueForWorkers } from "../db/outbox";
import { prepared } from "../db/prepared";
import { cases, childAddresses, children, notifications, plans } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import { newId } from "../lib/ids";
import { formatReference } from "../lib/reference";
import type { ChildRecord } from "../register/child-record";

type Kind = "enquiry_about_open_case" | "enquiry_at_same_address";

/** A key worker to be told of an enquiry, and about which child. */
export interface Notice {
  workerId: string;
  kind: Kind;
  childId: string;
}

/** The enquiry a notification is of: its authority's outbox carries its reference. */
export interface NoticeOf {
  id: string;
  authority: string;
  referenceNo: number;
}

export async function notify(tx: Tx, now: string, enquiry: NoticeOf, notices: Notice[]) {
  if (!notices.length) return;
  // A worker hears once of one enquiry about one child, however the match was reached.
  const written = await tx
    .insert(notifications)
    .values(notices.map((n) => ({ id: newId(), ...n, enquiryId: enquiry.id, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: notifications.id, workerId: notifications.workerId });
  // ...and is emailed (and the case system told) in the same transaction's outbox.
  await enqueueForWorkers(tx, now, enquiry.authority, formatReference(enquiry.referenceNo), written);
}

/** Seed 004 §59: the key worker of a child whose case is open is told of the enquiry. */
export function openCaseWorker(record: ChildRecord): Notice[] {
  const open = record.cases.filter((k) => k.status === "open" && k.keyWorker).sort((a, b) => b.openedOn.localeCompare(a.openedOn));
  return open[0] ? [{ workerId: open[0].keyWorker!.id, kind: "enquiry_about_open_case", childId: record.id }] : [];
}

/** The same, read inside the caller's transaction rather than from a record read earlier. */
const openCaseOf = prepared((q) =>
  q
    .select({ workerId: cases.keyWorkerId })
    .from(cases)
    .where(and(eq(cases.childId, sql.placeholder("childId")), isNull(cases.closedOn), isNotNull(cases.keyWorkerId)))
    .orderBy(desc(cases.openedOn))
    .limit(1),
);

export async function openCaseWorkerNow(q: Queryable, childId: string): Promise<Notice[]> {
  const [open] = await openCaseOf(q).all({ childId });
  return open?.workerId ? [{ workerId: open.workerId, kind: "enquiry_about_open_case", childId }] : [];
}

export async function notifyOpenCaseWorker(tx: Tx, now: string, enquiry: NoticeOf, record: ChildRecord) {
  await notify(tx, now, enquiry, openCaseWorker(record));
}

/**
 * Seed 004 §60, widened by the Pan Dorset note: every other child with an active plan or an
 * open case whose current address is the enquiry's current address → that child's key
 * worker is told. It depends on the address, not on who the child is, so it happens at
 * submission even while the match is only possible.
 */
export async function sameAddressWorkers(
  q: Queryable,
  authority: string,
  addressKeys: string[],
  exceptChildId: string | null,
): Promise<Notice[]> {
  if (!addressKeys.length) return [];
  const activePlan = q
    .select({ one: sql`1` })
    .from(plans)
    .where(and(eq(plans.childId, children.id), isNull(plans.endDate)));
  const openCase = q
    .select({ one: sql`1` })
    .from(cases)
    .where(and(eq(cases.childId, children.id), isNull(cases.closedOn)));
  const neighbours = await q
    .selectDistinct({ id: children.id })
    .from(childAddresses)
    .innerJoin(children, eq(children.id, childAddresses.childId))
    .where(
      and(
        inArray(childAddresses.addressKey, addressKeys),
        isNull(childAddresses.toDate),
        eq(children.authority, authority),
        exceptChildId ? ne(children.id, exceptChildId) : undefined,
        or(exists(activePlan), exists(openCase)),
      ),
    );
  if (!neighbours.length) return [];
  const openCases = await q
    .select({ childId: cases.childId, workerId: cases.keyWorkerId })
    .from(cases)
    .where(
      and(
        inArray(
          cases.childId,
          neighbours.map((n) => n.id),
        ),
        isNull(cases.closedOn),
      ),
    )
    .orderBy(desc(cases.openedOn));
  const workerOf = new Map<string, string>();
  for (const k of openCases) if (k.workerId && !workerOf.has(k.childId)) workerOf.set(k.childId, k.workerId);
  return [...workerOf].map(([childId, workerId]) => ({ workerId, kind: "enquiry_at_same_address" as const, childId }));
}
