/**
 * Moves between authorities (seed 004 §41, 62-71; seed 001 7.2.27-30), kept by the register
 * custodian (the designated manager).
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { closuresOf } from "../calendar/closures.service";
import { addWorkingDays } from "../calendar/working-days";
import {
  authorities,
  cases,
  childAddresses,
  children,
  conferenceAgencies,
  conferences,
  movesIn,
  movesOut,
  planCategoryHistory,
  plans,
  workers,
} from "../db/schema";
import type { Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { londonToday } from "../lib/dates";
import { conflict, type FieldError, invalid } from "../lib/errors";
import { newId } from "../lib/ids";
import { addressKey } from "../register/address";
import { findAuthority } from "../register/authorities.service";
import { checkChildCreate, childInScope, insertChild } from "../register/children.service";
import { assertAgenciesKnown } from "../register/history.service";
import { moveInView, moveOutView } from "../register/move-views";
import { endPlan } from "../register/plan-ended";
import { assertMayWriteTo, notInScope } from "../register/scope";
import type { MoveInCreate, MoveOutCreate } from "./moves.schemas";

/** Seed 004 §63: the receiving-in conference is due within 15 working days of the move. */
export const RECEIVING_IN_WORKING_DAYS = 15;

type Outcome = NonNullable<(typeof movesIn.$inferSelect)["outcome"]>;
type NewAddress = (typeof movesOut.$inferSelect)["newAddress"];

function datesNotAfter(today: string, checks: [string | undefined, string][]) {
  const errors: FieldError[] = checks.filter(([d]) => d && d > today).map(([, path]) => ({ path, message: "must not be in the future" }));
  if (errors.length) throw invalid("Some dates are in the future: see errors.", errors);
}

async function planIsTemporary(tx: Tx, planId: string) {
  const [p] = await tx.select({ temporary: plans.temporary, endDate: plans.endDate }).from(plans).where(eq(plans.id, planId));
  return !!p && p.temporary && p.endDate === null;
}

// ---- moving in ------------------------------------------------------------------------------

/**
 * Seed 004 §62: on news of an impending or actual move, the child goes on the register in a
 * temporary capacity, with the other authority's plan, key worker and custodian, and the
 * receiving-in conference falls due.
 */
export async function createMoveIn(ctx: Ctx, input: MoveInCreate) {
  assertMayWriteTo(ctx, input.authority);
  const child = { ...input.child, authority: input.authority };
  checkChildCreate(ctx, child, "child.");
  const today = londonToday(ctx.clock.now());
  datesNotAfter(today, [
    [input.plan.startDate, "plan.startDate"],
    [input.status === "actual" ? input.moveDate : undefined, "moveDate"],
  ]);
  return ctx.store.write(async (tx) => {
    const childId = await insertChild(tx, ctx, child, "child.");
    const due = addWorkingDays(input.moveDate, RECEIVING_IN_WORKING_DAYS, await closuresOf(tx, input.authority));
    const now = ctx.clock.now().toISOString();
    const planId = newId();
    await tx.insert(plans).values({
      id: planId,
      childId,
      authority: input.authority,
      startDate: input.plan.startDate,
      temporary: true,
      originatingAuthority: input.originatingAuthority.name,
      createdAt: now,
    });
    await tx
      .insert(planCategoryHistory)
      .values([...new Set(input.plan.categories)].map((category) => ({ id: newId(), planId, category, fromDate: input.plan.startDate })));
    const [row] = await tx
      .insert(movesIn)
      .values({
        id: newId(),
        authority: input.authority,
        childId,
        planId,
        status: input.status,
        moveDate: input.moveDate,
        originatingAuthorityName: input.originatingAuthority.name,
        originatingCustodianPhone: input.originatingAuthority.custodianPhone,
        originatingKeyWorkerName: input.originatingKeyWorker.name,
        originatingKeyWorkerPhone: input.originatingKeyWorker.phone,
        receivingInDue: due,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "move_in.create",
      target: { type: "child", id: childId },
      authority: input.authority,
      detail: { moveId: row!.id, planId, due },
    });
    return moveInView(row!, true);
  });
}

async function moveInInScope(tx: Tx, ctx: Ctx, id: string) {
  const [row] = await tx.select().from(movesIn).where(eq(movesIn.id, id));
  if (!row || !ctx.principal.authorities.includes(row.authority))
    throw notInScope("The move", { type: "move_in", id, authority: row?.authority ?? null });
  return row;
}

export async function getMoveIn(ctx: Ctx, id: string) {
  return ctx.store.write(async (tx) => {
    const row = await moveInInScope(tx, ctx, id);
    await recordAudit(tx, ctx, {
      action: "move_in.read",
      target: { type: "child", id: row.childId },
      authority: row.authority,
      detail: { moveId: id },
    });
    return moveInView(row, row.outcome === null && (await planIsTemporary(tx, row.planId)));
  });
}

/** An impending move that has happened, or whose date has changed: the deadline follows the move. */
export async function patchMoveIn(
  ctx: Ctx,
  id: string,
  patch: { status?: "impending" | "actual" | undefined; moveDate?: string | undefined },
) {
  const today = londonToday(ctx.clock.now());
  return ctx.store.write(async (tx) => {
    const row = await moveInInScope(tx, ctx, id);
    if (row.outcome)
      throw conflict(`The move was settled on ${row.decidedOn} (${row.outcome}); it cannot change now.`, { type: "move_in", id });
    const status = patch.status ?? row.status;
    const moveDate = patch.moveDate ?? row.moveDate;
    if (status === "actual") datesNotAfter(today, [[moveDate, "moveDate"]]);
    const due = addWorkingDays(moveDate, RECEIVING_IN_WORKING_DAYS, await closuresOf(tx, row.authority));
    const [updated] = await tx.update(movesIn).set({ status, moveDate, receivingInDue: due }).where(eq(movesIn.id, id)).returning();
    await recordAudit(tx, ctx, {
      action: "move_in.update",
      target: { type: "child", id: row.childId },
      authority: row.authority,
      detail: { moveId: id, status, moveDate, due },
    });
    return moveInView(updated!, await planIsTemporary(tx, row.planId));
  });
}

/**
 * Seed 004 §63-65: a receiving-in conference was held (plan or no plan), or the custodian
 * decided local procedures do not apply. Either ends the temporary status: the plan goes on
 * as this authority's own, or the temporary plan ends.
 */
type OutcomeInput = { outcome: Outcome; decidedOn: string; reason?: string | undefined; agenciesRepresented?: string[] | undefined };

/**
 * The receiving-in conference the outcome reports (none when procedures do not apply), with the
 * agencies represented: those told when the plan it made this authority's own ends (seed 004 §47).
 */
async function recordReceivingInConference(tx: Tx, now: string, childId: string, input: OutcomeInput) {
  if (input.outcome === "procedures_not_applied") return;
  const id = newId();
  await tx.insert(conferences).values({
    id,
    childId,
    type: "receiving_in",
    heldOn: input.decidedOn,
    outcome: input.outcome === "receiving_in_plan" ? "plan" : "no_plan",
    createdAt: now,
  });
  const represented = input.agenciesRepresented ?? [];
  if (represented.length) await tx.insert(conferenceAgencies).values(represented.map((agencyId) => ({ conferenceId: id, agencyId })));
}

export async function recordMoveInOutcome(ctx: Ctx, id: string, input: OutcomeInput) {
  datesNotAfter(londonToday(ctx.clock.now()), [[input.decidedOn, "decidedOn"]]);
  return ctx.store.write(async (tx) => {
    const row = await moveInInScope(tx, ctx, id);
    if (row.outcome) throw conflict(`The move was already settled on ${row.decidedOn} (${row.outcome}).`, { type: "move_in", id });
    const [plan] = await tx.select().from(plans).where(eq(plans.id, row.planId));
    if (input.decidedOn < plan!.startDate)
      throw invalid("decidedOn is before the plan's start.", [
        { path: "decidedOn", message: `must not be before the plan's start (${plan!.startDate})` },
      ]);
    await assertAgenciesKnown(tx, input.agenciesRepresented ?? [], "agenciesRepresented");
    // A handover is settled even if the sending authority's plan has ended meanwhile (at 18, say).
    if (row.handoverOf) return handOver(tx, ctx, row, plan!, input);
    if (plan!.endDate)
      throw conflict(`The temporary plan already ended on ${plan!.endDate}; record a new plan by hand if the conference made one.`, {
        type: "move_in",
        id,
      });
    const now = ctx.clock.now().toISOString();
    // Settled first, so the plan's end below finds no move in left to settle.
    const [updated] = await tx
      .update(movesIn)
      .set({ outcome: input.outcome, decidedOn: input.decidedOn, reason: input.reason ?? null })
      .where(eq(movesIn.id, id))
      .returning();
    await recordReceivingInConference(tx, now, row.childId, input);
    if (input.outcome === "receiving_in_plan") await tx.update(plans).set({ temporary: false }).where(eq(plans.id, plan!.id));
    else {
      await endPlan(
        tx,
        now,
        plan!.id,
        input.decidedOn,
        input.outcome === "receiving_in_no_plan" ? "no_longer_at_risk" : "procedures_not_applied",
      );
    }
    await recordAudit(tx, ctx, {
      action: "move_in.outcome",
      target: { type: "child", id: row.childId },
      authority: row.authority,
      detail: { moveId: id, outcome: input.outcome, decidedOn: input.decidedOn },
    });
    return moveInView(updated!, false);
  });
}

/** Receiving-in conferences not yet settled in the manager's authorities, soonest first. */
export async function listDeadlines(ctx: Ctx, status: "due" | "overdue" | "all") {
  if (!ctx.principal.authorities.length) return [];
  const today = londonToday(ctx.clock.now());
  const rows = await ctx.store.read
    .select({ id: movesIn.id, due: movesIn.receivingInDue, childId: movesIn.childId, authority: movesIn.authority })
    .from(movesIn)
    .where(
      and(
        inArray(movesIn.authority, ctx.principal.authorities),
        isNull(movesIn.outcome),
        status === "due" ? gte(movesIn.receivingInDue, today) : status === "overdue" ? lt(movesIn.receivingInDue, today) : undefined,
      ),
    )
    .orderBy(asc(movesIn.receivingInDue), asc(movesIn.id));
  return rows.map((r) => ({
    kind: "receiving_in_conference" as const,
    due: r.due,
    childId: r.childId,
    moveId: r.id,
    authority: r.authority,
    overdue: r.due < today,
  }));
}

/**
 * A move between two authorities of this deployment, settled by the receiving authority: the
 * record is handed over, not copied. In one transaction the sending authority's plan ends
 * with `moved_authority` and its move out is confirmed, its open cases close, the child
 * becomes the receiving authority's, and (if its conference made one) a plan of its own
 * starts. Both plans stay on the record, each naming its authority.
 */
async function handOver(tx: Tx, ctx: Ctx, m: typeof movesIn.$inferSelect, plan: typeof plans.$inferSelect, input: OutcomeInput) {
  const now = ctx.clock.now().toISOString();
  const [out] = await tx.select().from(movesOut).where(eq(movesOut.id, m.handoverOf!));
  const [child] = await tx
    .select({ authority: children.authority, externalId: children.externalId })
    .from(children)
    .where(eq(children.id, m.childId));
  const categories = await tx
    .select({ category: planCategoryHistory.category })
    .from(planCategoryHistory)
    .where(and(eq(planCategoryHistory.planId, plan.id), isNull(planCategoryHistory.toDate)));
  if (!plan.endDate) {
    // Seed 004 §71: the sending authority's agencies and contact points are told, before the conference below is recorded.
    await endPlan(tx, now, plan.id, input.decidedOn, "moved_authority");
  }
  if (out!.moveDate <= input.decidedOn) await moveToAddress(tx, m.childId, out!.newAddress, out!.moveDate);
  await tx.update(movesOut).set({ confirmedOn: input.decidedOn, outcome: input.outcome }).where(eq(movesOut.id, out!.id));
  await tx
    .update(cases)
    .set({ closedOn: input.decidedOn })
    .where(and(eq(cases.childId, m.childId), isNull(cases.closedOn)));
  // The sending case system's id means nothing to the receiving one.
  await tx.update(children).set({ authority: m.authority, externalId: null, updatedAt: now }).where(eq(children.id, m.childId));
  await recordReceivingInConference(tx, now, m.childId, input);
  if (input.outcome === "receiving_in_plan" && categories.length) {
    const planId = newId();
    await tx.insert(plans).values({
      id: planId,
      childId: m.childId,
      authority: m.authority,
      startDate: input.decidedOn,
      temporary: false,
      originatingAuthority: null,
      createdAt: now,
    });
    await tx
      .insert(planCategoryHistory)
      .values(categories.map((c) => ({ id: newId(), planId, category: c.category, fromDate: input.decidedOn })));
  }
  const [updated] = await tx
    .update(movesIn)
    .set({ outcome: input.outcome, decidedOn: input.decidedOn, reason: input.reason ?? null })
    .where(eq(movesIn.id, m.id))
    .returning();
  const detail = {
    moveId: m.id,
    moveOutId: out!.id,
    outcome: input.outcome,
    decidedOn: input.decidedOn,
    from: child!.authority,
    to: m.authority,
  };
  await recordAudit(tx, ctx, { action: "child.handover", target: { type: "child", id: m.childId }, authority: m.authority, detail });
  // The sending case system's id is for the sending authority's auditors only.
  await recordAudit(tx, ctx, {
    action: "child.handover",
    target: { type: "child", id: m.childId },
    authority: child!.authority,
    detail: { ...detail, previousExternalId: child!.externalId },
  });
  return moveInView(updated!, false);
}

async function openCaseKeyWorker(tx: Tx, childId: string) {
  const [w] = await tx
    .select({ name: workers.name, phone: workers.phone })
    .from(cases)
    .innerJoin(workers, eq(workers.id, cases.keyWorkerId))
    .where(and(eq(cases.childId, childId), isNull(cases.closedOn)))
    .orderBy(desc(cases.openedOn))
    .limit(1);
  return w ?? null;
}

// ---- moving out -----------------------------------------------------------------------------

/**
 * Seed 004 §66-71: a child on a plan here is moving to another authority. The move and the
 * new address are recorded; the plan stays current (and enquiries say it is) until the
 * receiving authority confirms its decision (§41).
 */
export async function createMoveOut(ctx: Ctx, childId: string, input: MoveOutCreate) {
  const today = londonToday(ctx.clock.now());
  return ctx.store.write(async (tx) => {
    const child = await childInScope(tx, ctx, childId);
    const [plan] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.childId, childId), isNull(plans.endDate)));
    if (!plan)
      throw conflict("The child is not subject of a current plan: record the new address on the child instead.", {
        type: "child",
        id: childId,
      });
    const [open] = await tx
      .select({ id: movesOut.id })
      .from(movesOut)
      .where(and(eq(movesOut.childId, childId), isNull(movesOut.confirmedOn)));
    if (open)
      throw conflict(`A move out (${open.id}) is already awaiting the receiving authority's confirmation.`, { type: "child", id: childId });
    const newAddress = {
      line1: input.newAddress.line1,
      line2: input.newAddress.line2 ?? null,
      town: input.newAddress.town ?? null,
      postcode: input.newAddress.postcode ?? null,
    };
    const receiving = input.receivingAuthority.code ? await findAuthority(tx, input.receivingAuthority.code.toUpperCase()) : null;
    if (input.receivingAuthority.code && !receiving)
      throw invalid(
        `Authority ${input.receivingAuthority.code} is not one this service holds: leave the code out for an authority elsewhere.`,
        [{ path: "receivingAuthority.code", message: "is not an authority of this deployment" }],
      );
    if (receiving?.code === child.authority)
      throw invalid("The child is moving within the authority: record the new address instead.", [
        { path: "receivingAuthority.code", message: "is the child's own authority" },
      ]);
    const [row] = await tx
      .insert(movesOut)
      .values({
        id: newId(),
        authority: child.authority,
        childId,
        planId: plan.id,
        moveDate: input.moveDate,
        newAddress,
        receivingAuthorityName: input.receivingAuthority.name,
        receivingCustodianPhone: input.receivingAuthority.custodianPhone,
        receivingAuthorityCode: receiving?.code ?? null,
        createdAt: ctx.clock.now().toISOString(),
      })
      .returning();
    // A move that has happened changes where the child lives now; an impending one waits.
    if (input.moveDate <= today) await moveToAddress(tx, childId, newAddress, input.moveDate);
    // Within the deployment the receiving authority is told at once: its receiving-in
    // conference falls due, and its outcome hands the record over (recordMoveInOutcome).
    if (receiving) {
      const [sender] = await tx.select().from(authorities).where(eq(authorities.code, child.authority));
      const worker = await openCaseKeyWorker(tx, childId);
      await tx.insert(movesIn).values({
        id: newId(),
        authority: receiving.code,
        childId,
        planId: plan.id,
        status: input.moveDate <= today ? "actual" : "impending",
        moveDate: input.moveDate,
        originatingAuthorityName: sender!.name,
        originatingCustodianPhone: sender!.firstResponsePhone,
        originatingKeyWorkerName: worker?.name ?? "Not recorded",
        originatingKeyWorkerPhone: worker?.phone ?? sender!.firstResponsePhone,
        receivingInDue: addWorkingDays(input.moveDate, RECEIVING_IN_WORKING_DAYS, await closuresOf(tx, receiving.code)),
        handoverOf: row!.id,
        createdAt: ctx.clock.now().toISOString(),
      });
    }
    await recordAudit(tx, ctx, {
      action: "move_out.create",
      target: { type: "child", id: childId },
      authority: child.authority,
      detail: { moveId: row!.id, moveDate: input.moveDate },
    });
    return moveOutView(row!);
  });
}

async function moveToAddress(tx: Tx, childId: string, a: NewAddress, from: string) {
  const key = addressKey(a.line1, a.postcode, a.line2);
  const current = await tx
    .select()
    .from(childAddresses)
    .where(and(eq(childAddresses.childId, childId), isNull(childAddresses.toDate)));
  if (current.some((c) => c.addressKey && c.addressKey === key)) return;
  if (current.length)
    await tx
      .update(childAddresses)
      .set({ toDate: from })
      .where(
        inArray(
          childAddresses.id,
          current.map((c) => c.id),
        ),
      );
  await tx.insert(childAddresses).values({
    id: newId(),
    childId,
    line1: a.line1,
    line2: a.line2,
    town: a.town,
    postcode: a.postcode,
    addressKey: key,
    fromDate: from,
    toDate: null,
  });
}

async function moveOutInScope(tx: Tx, ctx: Ctx, id: string) {
  const [row] = await tx.select().from(movesOut).where(eq(movesOut.id, id));
  if (!row || !ctx.principal.authorities.includes(row.authority))
    throw notInScope("The move", { type: "move_out", id, authority: row?.authority ?? null });
  return row;
}

/** Seed 004 §41, 71: once the receiving authority confirms its decision, the local plan ends with `moved_authority`. */
export async function confirmMoveOut(ctx: Ctx, id: string, input: { confirmedOn: string; outcome: Outcome }) {
  datesNotAfter(londonToday(ctx.clock.now()), [[input.confirmedOn, "confirmedOn"]]);
  return ctx.store.write(async (tx) => {
    const row = await moveOutInScope(tx, ctx, id);
    if (row.confirmedOn)
      throw conflict(`The receiving authority's decision was already recorded on ${row.confirmedOn}.`, { type: "move_out", id });
    if (row.receivingAuthorityCode)
      throw conflict(
        `${row.receivingAuthorityName} is an authority of this service: its designated manager records the receiving-in outcome, which hands the record over.`,
        { type: "move_out", id },
      );
    const [plan] = await tx.select().from(plans).where(eq(plans.id, row.planId));
    if (input.confirmedOn < plan!.startDate)
      throw invalid("confirmedOn is before the plan's start.", [
        { path: "confirmedOn", message: `must not be before the plan's start (${plan!.startDate})` },
      ]);
    if (!plan!.endDate) {
      await endPlan(tx, ctx.clock.now().toISOString(), plan!.id, input.confirmedOn, "moved_authority");
    }
    if (row.moveDate <= input.confirmedOn) await moveToAddress(tx, row.childId, row.newAddress, row.moveDate);
    const [updated] = await tx
      .update(movesOut)
      .set({ confirmedOn: input.confirmedOn, outcome: input.outcome })
      .where(eq(movesOut.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: "move_out.confirm",
      target: { type: "child", id: row.childId },
      authority: row.authority,
      detail: { moveId: id, outcome: input.outcome, confirmedOn: input.confirmedOn },
    });
    return moveOutView(updated!);
  });
}
