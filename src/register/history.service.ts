import { and, eq, inArray, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import {
  agencies,
  cases,
  children,
  conferenceAgencies,
  conferences,
  type planCategories,
  planCategoryHistory,
  type planEndReasons,
  plans,
  workers,
} from "../db/schema";
import type { Tx } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { londonToday } from "../lib/dates";
import { conflict, invalid } from "../lib/errors";
import { newId } from "../lib/ids";
import { caseView, loadPlanCategories, planView } from "./child-record";
import { childInScope } from "./children.service";
import { decidingRoute, movesWaitingOn, refusedWhileWaiting } from "./moves-waiting";
import { endPlan } from "./plan-ended";
import { notInScope } from "./scope";
import { workerOfAuthority } from "./workers.service";

type Category = (typeof planCategories)[number];
type EndReason = (typeof planEndReasons)[number];

function notAfterToday(ctx: Ctx, date: string | null | undefined, path: string) {
  if (date && date > londonToday(ctx.clock.now()))
    throw invalid(`${path} is in the future.`, [{ path, message: "must not be in the future" }]);
}

function notBefore(date: string | null | undefined, earliest: string, path: string, what: string) {
  if (date && date < earliest) throw invalid(`${path} is before ${what}.`, [{ path, message: `must not be before ${what} (${earliest})` }]);
}

// ---- cases ----------------------------------------------------------------------------------

export interface CaseInput {
  type: "child_in_need" | "child_protection" | "looked_after";
  openedOn: string;
  closedOn?: string | null | undefined;
  keyWorkerId: string;
}

export async function addCase(ctx: Ctx, childId: string, input: CaseInput) {
  notAfterToday(ctx, input.openedOn, "openedOn");
  notAfterToday(ctx, input.closedOn, "closedOn");
  notBefore(input.closedOn, input.openedOn, "closedOn", "openedOn");
  return ctx.store.write(async (tx) => {
    const child = await childInScope(tx, ctx, childId);
    const worker = await workerOfAuthority(tx, input.keyWorkerId, child.authority, "keyWorkerId");
    const [row] = await tx
      .insert(cases)
      .values({
        id: newId(),
        childId,
        type: input.type,
        openedOn: input.openedOn,
        closedOn: input.closedOn ?? null,
        keyWorkerId: worker.id,
        createdAt: ctx.clock.now().toISOString(),
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "case.create",
      target: { type: "child", id: childId },
      authority: child.authority,
      detail: { caseId: row!.id },
    });
    return caseView(row!, worker);
  });
}

export interface CasePatch {
  type?: CaseInput["type"] | undefined;
  closedOn?: string | null | undefined;
  keyWorkerId?: string | undefined;
}

async function caseInScope(tx: Tx, ctx: Ctx, id: string) {
  const [row] = await tx
    .select({ k: cases, authority: children.authority })
    .from(cases)
    .innerJoin(children, eq(children.id, cases.childId))
    .where(eq(cases.id, id));
  if (!row || !ctx.principal.authorities.includes(row.authority))
    throw notInScope("The case", { type: "case", id, authority: row?.authority ?? null });
  return row;
}

export async function patchCase(ctx: Ctx, id: string, patch: CasePatch) {
  notAfterToday(ctx, patch.closedOn, "closedOn");
  return ctx.store.write(async (tx) => {
    const { k, authority } = await caseInScope(tx, ctx, id);
    notBefore(patch.closedOn, k.openedOn, "closedOn", "openedOn");
    if (patch.keyWorkerId) await workerOfAuthority(tx, patch.keyWorkerId, authority, "keyWorkerId");
    const [row] = await tx
      .update(cases)
      .set({
        ...(patch.type ? { type: patch.type } : {}),
        ...(patch.closedOn !== undefined ? { closedOn: patch.closedOn } : {}),
        ...(patch.keyWorkerId ? { keyWorkerId: patch.keyWorkerId } : {}),
      })
      .where(eq(cases.id, id))
      .returning();
    const [worker] = row!.keyWorkerId ? await tx.select().from(workers).where(eq(workers.id, row!.keyWorkerId)) : [];
    await recordAudit(tx, ctx, {
      action: "case.update",
      target: { type: "child", id: k.childId },
      authority,
      detail: { caseId: id, fields: Object.keys(patch) },
    });
    return caseView(row!, worker);
  });
}

// ---- plans ----------------------------------------------------------------------------------

export interface PlanInput {
  startDate: string;
  categories: Category[];
  temporary?: boolean | undefined;
  originatingAuthority?: string | null | undefined;
}

async function planResult(tx: Tx, planId: string) {
  const [row] = await tx.select().from(plans).where(eq(plans.id, planId));
  return planView(row!, await loadPlanCategories(tx, [planId]));
}

export async function addPlan(ctx: Ctx, childId: string, input: PlanInput) {
  notAfterToday(ctx, input.startDate, "startDate");
  if (input.temporary && !input.originatingAuthority)
    throw invalid("A temporary plan names the authority whose plan it is.", [
      { path: "originatingAuthority", message: "is required when temporary is true" },
    ]);
  return ctx.store.write(async (tx) => {
    const child = await childInScope(tx, ctx, childId);
    const [current] = await tx
      .select({ id: plans.id })
      .from(plans)
      .where(and(eq(plans.childId, childId), isNull(plans.endDate)));
    if (current) throw conflict(`The child is already subject of a current plan (${current.id}); end it or change its categories.`);
    const id = newId();
    await tx.insert(plans).values({
      id,
      childId,
      authority: child.authority,
      startDate: input.startDate,
      temporary: input.temporary ?? false,
      originatingAuthority: input.originatingAuthority ?? null,
      createdAt: ctx.clock.now().toISOString(),
    });
    await tx
      .insert(planCategoryHistory)
      .values([...new Set(input.categories)].map((category) => ({ id: newId(), planId: id, category, fromDate: input.startDate })));
    await recordAudit(tx, ctx, {
      action: "plan.create",
      target: { type: "child", id: childId },
      authority: child.authority,
      detail: { planId: id },
    });
    return planResult(tx, id);
  });
}

/**
 * Ends that are another procedure's decision, not a manager's by hand. Seed 004 §41, 71: a plan
 * moved out ends only when the receiving authority confirms; and what a move waiting on the plan
 * decides is not decided here (moves-waiting.ts).
 */
async function assertMayEndByHand(tx: Tx, planId: string, endReason: EndReason) {
  if (endReason === "moved_authority")
    throw invalid(
      "A plan ends with moved_authority only when the receiving authority confirms the move: record the move out (POST /v1/children/{id}/moves-out), then its confirmation (POST /v1/moves-out/{id}/confirmation).",
      [{ path: "endReason", message: "moved_authority comes only from a move out's confirmation (POST /v1/moves-out/{id}/confirmation)" }],
    );
  for (const move of await movesWaitingOn(tx, [planId])) {
    const refused = refusedWhileWaiting(move, { endReason });
    if (refused.length)
      throw invalid(
        move.kind === "move_out"
          ? `The plan stays until the receiving authority has decided (seed 004 §41): record its decision (${decidingRoute(move)}).`
          : `A temporary plan is found no longer needed by the receiving-in conference: record its outcome (${decidingRoute(move)} with receiving_in_no_plan).`,
        refused,
      );
  }
}

export interface PlanPatch {
  categories?: Category[] | undefined;
  changedOn?: string | undefined;
  endDate?: string | undefined;
  endReason?: EndReason | undefined;
}

/**
 * Categories may change during a plan (seed 001 7.12): the dropped ones are closed on the
 * day of the change and the new ones opened, so the history is kept. Ending a plan keeps
 * the categories it ended with.
 */
export async function patchPlan(ctx: Ctx, id: string, patch: PlanPatch) {
  const today = londonToday(ctx.clock.now());
  const changedOn = patch.changedOn ?? today;
  notAfterToday(ctx, changedOn, "changedOn");
  notAfterToday(ctx, patch.endDate, "endDate");
  return ctx.store.write(async (tx) => {
    const [found] = await tx
      .select({ p: plans, authority: children.authority })
      .from(plans)
      .innerJoin(children, eq(children.id, plans.childId))
      .where(eq(plans.id, id));
    if (!found || !ctx.principal.authorities.includes(found.authority))
      throw notInScope("The plan", { type: "plan", id, authority: found?.authority ?? null });
    const plan = found.p;
    if (plan.endDate) throw conflict(`The plan ended on ${plan.endDate}; an ended plan cannot change.`, { type: "plan", id });
    if (patch.endReason) await assertMayEndByHand(tx, id, patch.endReason);
    if (patch.categories) {
      notBefore(changedOn, plan.startDate, "changedOn", "the plan's start");
      const open = await tx
        .select()
        .from(planCategoryHistory)
        .where(and(eq(planCategoryHistory.planId, id), isNull(planCategoryHistory.toDate)));
      const wanted = new Set(patch.categories);
      const dropped = open.filter((r) => !wanted.has(r.category));
      const added = [...wanted].filter((c) => !open.some((r) => r.category === c));
      if (dropped.length)
        await tx
          .update(planCategoryHistory)
          .set({ toDate: changedOn })
          .where(
            inArray(
              planCategoryHistory.id,
              dropped.map((r) => r.id),
            ),
          );
      if (added.length)
        await tx.insert(planCategoryHistory).values(added.map((category) => ({ id: newId(), planId: id, category, fromDate: changedOn })));
    }
    if (patch.endDate) {
      notBefore(patch.endDate, plan.startDate, "endDate", "the plan's start");
      await endPlan(tx, ctx.clock.now().toISOString(), id, patch.endDate, patch.endReason!);
    }
    await recordAudit(tx, ctx, {
      action: patch.endDate ? "plan.end" : "plan.update",
      target: { type: "child", id: plan.childId },
      authority: found.authority,
      detail: { planId: id, ...patch },
    });
    return planResult(tx, id);
  });
}

// ---- conferences ----------------------------------------------------------------------------

export interface ConferenceInput {
  type: "initial" | "review" | "receiving_in";
  heldOn: string;
  outcome: "plan" | "no_plan";
  agenciesRepresented?: string[] | undefined;
}

/** Seed 004 §47: each agency named must be on the register; an unknown one is named by its position. */
export async function assertAgenciesKnown(tx: Tx, ids: string[], path: string) {
  if (!ids.length) return;
  const known = new Set((await tx.select({ id: agencies.id }).from(agencies).where(inArray(agencies.id, ids))).map((a) => a.id));
  const errors = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `${path}.${i}`, message: `no agency ${id}` }]));
  if (errors.length) throw invalid("Some agencies represented are not on the register: see errors.", errors);
}

export async function addConference(ctx: Ctx, childId: string, input: ConferenceInput) {
  notAfterToday(ctx, input.heldOn, "heldOn");
  return ctx.store.write(async (tx) => {
    const child = await childInScope(tx, ctx, childId);
    const represented = input.agenciesRepresented ?? [];
    await assertAgenciesKnown(tx, represented, "agenciesRepresented");
    const [row] = await tx
      .insert(conferences)
      .values({
        id: newId(),
        childId,
        type: input.type,
        heldOn: input.heldOn,
        outcome: input.outcome,
        createdAt: ctx.clock.now().toISOString(),
      })
      .returning();
    if (represented.length)
      await tx.insert(conferenceAgencies).values(represented.map((agencyId) => ({ conferenceId: row!.id, agencyId })));
    await recordAudit(tx, ctx, {
      action: "conference.create",
      target: { type: "child", id: childId },
      authority: child.authority,
      detail: { conferenceId: row!.id, agenciesRepresented: represented },
    });
    return { id: row!.id, childId, type: row!.type, heldOn: row!.heldOn, outcome: row!.outcome, agenciesRepresented: represented };
  });
}
