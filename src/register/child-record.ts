import { asc, eq, inArray, sql } from "drizzle-orm";
import { prepared } from "../db/prepared";
import {
  cases,
  childAddresses,
  childAliases,
  childPeople,
  children,
  conferenceAgencies,
  conferences,
  movesIn,
  movesOut,
  planCategoryHistory,
  plans,
  workers,
} from "../db/schema";
import type { Queryable } from "../db/store";
import { moveInView, moveOutView } from "./move-views";

type PlanRow = typeof plans.$inferSelect;
type CategoryRow = typeof planCategoryHistory.$inferSelect;
type CaseRow = typeof cases.$inferSelect;
type WorkerRow = typeof workers.$inferSelect;

export function planView(p: PlanRow, history: CategoryRow[]) {
  const own = history.filter((h) => h.planId === p.id);
  return {
    id: p.id,
    childId: p.childId,
    authority: p.authority,
    startDate: p.startDate,
    endDate: p.endDate,
    endReason: p.endReason,
    temporary: p.temporary,
    originatingAuthority: p.originatingAuthority,
    // An open row (`to` null) is a category held now, or held when the plan ended.
    categories: own.filter((h) => h.toDate === null).map((h) => h.category),
    categoryHistory: own.map((h) => ({ category: h.category, from: h.fromDate, to: h.toDate })),
  };
}

export function caseView(k: CaseRow, worker: WorkerRow | null | undefined) {
  return {
    id: k.id,
    childId: k.childId,
    type: k.type,
    openedOn: k.openedOn,
    closedOn: k.closedOn,
    status: k.closedOn ? ("closed" as const) : ("open" as const),
    keyWorker: worker ? { id: worker.id, name: worker.name, team: worker.team, phone: worker.phone } : null,
  };
}

export async function loadPlanCategories(q: Queryable, planIds: string[]) {
  if (!planIds.length) return [];
  return q
    .select()
    .from(planCategoryHistory)
    .where(inArray(planCategoryHistory.planId, planIds))
    .orderBy(asc(planCategoryHistory.fromDate), asc(planCategoryHistory.id));
}

const id = sql.placeholder("id");
// The record's statements, built once (db/prepared.ts): a record read is on every enquiry's path.
const childRow = prepared((q) => q.select().from(children).where(eq(children.id, id)));
const aliasRows = prepared((q) => q.select().from(childAliases).where(eq(childAliases.childId, id)).orderBy(asc(childAliases.id)));
const peopleRowsOf = prepared((q) => q.select().from(childPeople).where(eq(childPeople.childId, id)).orderBy(asc(childPeople.position)));
const addressRows = prepared((q) => q.select().from(childAddresses).where(eq(childAddresses.childId, id)).orderBy(asc(childAddresses.id)));
const caseRowsOf = prepared((q) =>
  q
    .select({ k: cases, w: workers })
    .from(cases)
    .leftJoin(workers, eq(workers.id, cases.keyWorkerId))
    .where(eq(cases.childId, id))
    .orderBy(asc(cases.openedOn), asc(cases.id)),
);
const planRowsOf = prepared((q) => q.select().from(plans).where(eq(plans.childId, id)).orderBy(asc(plans.startDate), asc(plans.id)));
const conferenceRowsOf = prepared((q) =>
  q.select().from(conferences).where(eq(conferences.childId, id)).orderBy(asc(conferences.heldOn), asc(conferences.id)),
);
const conferenceAgencyRowsOf = prepared((q) =>
  q
    .select({ conferenceId: conferenceAgencies.conferenceId, agencyId: conferenceAgencies.agencyId })
    .from(conferences)
    .innerJoin(conferenceAgencies, eq(conferenceAgencies.conferenceId, conferences.id))
    .where(eq(conferences.childId, id))
    .orderBy(asc(conferenceAgencies.conferenceId), asc(conferenceAgencies.agencyId)),
);
const moveInRows = prepared((q) => q.select().from(movesIn).where(eq(movesIn.childId, id)).orderBy(asc(movesIn.createdAt)));
const moveOutRows = prepared((q) => q.select().from(movesOut).where(eq(movesOut.childId, id)).orderBy(asc(movesOut.createdAt)));
const categoriesOfPlan = prepared((q) =>
  q
    .select()
    .from(planCategoryHistory)
    .where(eq(planCategoryHistory.planId, sql.placeholder("planId")))
    .orderBy(asc(planCategoryHistory.fromDate), asc(planCategoryHistory.id)),
);

export const personView = (p: typeof childPeople.$inferSelect) => ({
  id: p.id,
  givenNames: p.givenNames,
  familyName: p.familyName,
  aliases: p.aliases,
  dateOfBirth: p.dateOfBirth,
  relationship: p.relationship,
  livesWithChild: p.livesWithChild,
});

/** The whole record of one child, or null. Callers check scope and write the audit entry. */
export async function loadChildRecord(q: Queryable, childId: string) {
  const [child] = await childRow(q).all({ id: childId });
  if (!child) return null;
  const v = { id: childId };
  const [aliases, addresses, caseRows, planRows, conferenceRows, inRows, outRows, people] = await Promise.all([
    aliasRows(q).all(v),
    addressRows(q).all(v),
    caseRowsOf(q).all(v),
    planRowsOf(q).all(v),
    conferenceRowsOf(q).all(v),
    moveInRows(q).all(v),
    moveOutRows(q).all(v),
    peopleRowsOf(q).all(v),
  ]);
  const represented = conferenceRows.length ? await conferenceAgencyRowsOf(q).all(v) : [];
  // Most children have one plan or none: one statement built once each, not an IN list built each time.
  const history =
    planRows.length === 1
      ? await categoriesOfPlan(q).all({ planId: planRows[0]!.id })
      : await loadPlanCategories(
          q,
          planRows.map((p) => p.id),
        );
  return {
    id: child.id,
    authority: child.authority,
    externalId: child.externalId,
    givenNames: child.givenNames,
    familyName: child.familyName,
    aliases: aliases.map((a) => ({ givenNames: a.givenNames, familyName: a.familyName })),
    dateOfBirth: child.dateOfBirth,
    expectedDateOfDelivery: child.expectedDateOfDelivery,
    sex: child.sex,
    nhsNumber: child.nhsNumber,
    addresses: addresses.map((a) => ({
      id: a.id,
      line1: a.line1,
      line2: a.line2,
      town: a.town,
      postcode: a.postcode,
      from: a.fromDate,
      to: a.toDate,
      current: a.toDate === null,
    })),
    householdNote: child.householdNote,
    people: people.map(personView),
    cases: caseRows.map(({ k, w }) => caseView(k, w)),
    plans: planRows.map((p) => planView(p, history)),
    conferences: conferenceRows.map((c) => ({
      id: c.id,
      childId: c.childId,
      type: c.type,
      heldOn: c.heldOn,
      outcome: c.outcome,
      agenciesRepresented: represented.filter((r) => r.conferenceId === c.id).map((r) => r.agencyId),
    })),
    movesIn: inRows.map((m) =>
      moveInView(m, m.outcome === null && planRows.some((p) => p.id === m.planId && p.temporary && p.endDate === null)),
    ),
    movesOut: outRows.map(moveOutView),
    createdAt: child.createdAt,
    updatedAt: child.updatedAt,
  };
}

export type ChildRecord = NonNullable<Awaited<ReturnType<typeof loadChildRecord>>>;
