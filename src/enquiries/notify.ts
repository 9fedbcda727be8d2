import { and, desc, eq, exists, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { enqueueForCustodian, enqueueForWorkers } from "../db/outbox";
import { prepared } from "../db/prepared";
import { cases, childAddresses, children, keyWorkerAlerts, notifications, plans, workers } from "../db/schema";
import type { Queryable, Tx } from "../db/store";
import { newId } from "../lib/ids";
import { formatReference } from "../lib/reference";
import type { ChildRecord } from "../register/child-record";
import { openCasesOf } from "../register/open-cases";

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

/** A plan child an enquiry concerns whom no key worker with a login could be told of. */
export interface Unreached {
  childId: string;
  reason: "enquiry_about_plan_child" | "enquiry_at_same_address";
}

/**
 * Tells the key workers, and the designated manager of each plan child no key worker with a
 * login could be told of (a temporary plan, a plan with no open case here: seed 004 §72 calls
 * children moved in the most vulnerable), in the enquiry's transaction and its outbox.
 */
export async function notify(tx: Tx, now: string, enquiry: NoticeOf, notices: Notice[], unreached: Unreached[] = []) {
  const reference = formatReference(enquiry.referenceNo);
  if (notices.length) {
    // A worker hears once of one enquiry about one child, however the match was reached.
    const written = await tx
      .insert(notifications)
      .values(notices.map((n) => ({ id: newId(), ...n, enquiryId: enquiry.id, createdAt: now })))
      .onConflictDoNothing()
      .returning({ id: notifications.id, workerId: notifications.workerId });
    // ...and is emailed (and the case system told) in the same transaction's outbox.
    await enqueueForWorkers(tx, now, enquiry.authority, reference, written);
  }
  for (const u of unreached) {
    const [alert] = await tx
      .insert(keyWorkerAlerts)
      .values({ id: newId(), authority: enquiry.authority, enquiryId: enquiry.id, childId: u.childId, reason: u.reason, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: keyWorkerAlerts.id });
    if (alert) await enqueueForCustodian(tx, now, enquiry.authority, "enquiry_without_key_worker", alert.id, reference);
  }
}

/**
 * Seed 004 §59: the key worker of the child's open case (latest opened) is told; a plan child
 * whose open case has no key worker with a login, or who has no open case here, reaches the
 * designated manager instead. Read inside the caller's transaction: a case opened while the
 * enquiry was matched must not go unnotified.
 */
const openCaseOf = prepared((q) =>
  q
    .select({ workerId: cases.keyWorkerId, userId: workers.userId })
    .from(cases)
    .leftJoin(workers, eq(workers.id, cases.keyWorkerId))
    .where(and(eq(cases.childId, sql.placeholder("childId")), isNull(cases.closedOn)))
    .orderBy(desc(cases.openedOn)),
);
const currentPlanOf = prepared((q) =>
  q
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.childId, sql.placeholder("childId")), isNull(plans.endDate)))
    .limit(1),
);

/** The notices for the enquired child, and whether it is an open case (the second-enquiry rule asks that next). */
export async function caseWorkerNotice(
  q: Queryable,
  childId: string,
): Promise<{ notices: Notice[]; unreached: Unreached[]; openCase: boolean }> {
  const open = await openCaseOf(q).all({ childId });
  const openCase = open.length > 0;
  const withWorker = open.find((k) => k.workerId);
  const notices: Notice[] = withWorker ? [{ workerId: withWorker.workerId!, kind: "enquiry_about_open_case", childId }] : [];
  if (withWorker?.userId) return { notices, unreached: [], openCase };
  const [plan] = await currentPlanOf(q).all({ childId });
  return { notices, unreached: plan ? [{ childId, reason: "enquiry_about_plan_child" }] : [], openCase };
}

/** Tells the child's key worker (or the manager); says whether the child is an open case. */
export async function notifyOpenCaseWorker(tx: Tx, now: string, enquiry: NoticeOf, record: ChildRecord): Promise<{ openCase: boolean }> {
  const { notices, unreached, openCase } = await caseWorkerNotice(tx, record.id);
  await notify(tx, now, enquiry, notices, unreached);
  return { openCase };
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
): Promise<{ notices: Notice[]; unreached: Unreached[] }> {
  if (!addressKeys.length) return { notices: [], unreached: [] };
  const activePlan = q
    .select({ one: sql`1` })
    .from(plans)
    .where(and(eq(plans.childId, children.id), isNull(plans.endDate)));
  const openCase = q
    .select({ one: sql`1` })
    .from(cases)
    .where(and(eq(cases.childId, children.id), isNull(cases.closedOn)));
  const neighbours = await q
    .selectDistinct({ id: children.id, onPlan: sql<number>`exists ${activePlan}` })
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
  if (!neighbours.length) return { notices: [], unreached: [] };
  const openCases = await openCasesOf(
    q,
    neighbours.map((n) => n.id),
  );
  const workerOf = new Map<string, { workerId: string; userId: string | null }>();
  for (const k of openCases)
    if (k.workerId && !workerOf.has(k.childId)) workerOf.set(k.childId, { workerId: k.workerId, userId: k.userId });
  const notices = [...workerOf].map(([childId, w]) => ({ workerId: w.workerId, kind: "enquiry_at_same_address" as const, childId }));
  // A plan child at the address whom no key worker with a login hears of: the designated manager does.
  const unreached = neighbours
    .filter((n) => Number(n.onPlan) === 1 && !workerOf.get(n.id)?.userId)
    .map((n) => ({ childId: n.id, reason: "enquiry_at_same_address" as const }));
  return { notices, unreached };
}
