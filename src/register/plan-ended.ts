/**
 * Seed 004 §47 (and §71 for a move out): when a child is no longer subject of a plan, every
 * agency represented at the conference that led to it is notified, and the health and
 * education contact points are specifically informed. Written to the outbox inside the
 * transaction that ends the plan, so the end and its messages commit together. The message
 * holds the plan's reference and a link, never the child's details.
 */
import { and, desc, eq, isNull, lte } from "drizzle-orm";
import { enqueue } from "../db/outbox";
import { agencies, authorities, children, conferenceAgencies, conferences, movesIn, type planEndReasons, plans } from "../db/schema";
import type { Tx } from "../db/store";

/** What the messages call the plan: it identifies the plan to the register's staff, and names no child. */
const planReference = (planId: string) => `PLAN-${planId}`;

/**
 * The conference that led to the plan: the child's latest conference deciding on a plan held on
 * or before the plan's start, or for a temporary plan this authority's receiving-in conference
 * made its own, on or before that conference. (Conferences carry no authority of their own; a
 * record handed over starts its receiving authority's plan on the day of that authority's
 * receiving-in conference, so the dates keep each authority's plan to its own conference.)
 */
async function conferenceLeadingTo(tx: Tx, plan: { id: string; childId: string; startDate: string }) {
  const [madeOwn] = await tx
    .select({ on: movesIn.decidedOn })
    .from(movesIn)
    .where(and(eq(movesIn.planId, plan.id), eq(movesIn.outcome, "receiving_in_plan"), isNull(movesIn.handoverOf)))
    .limit(1);
  const [c] = await tx
    .select({ id: conferences.id })
    .from(conferences)
    .where(
      and(eq(conferences.childId, plan.childId), eq(conferences.outcome, "plan"), lte(conferences.heldOn, madeOwn?.on ?? plan.startDate)),
    )
    .orderBy(desc(conferences.heldOn), desc(conferences.createdAt), desc(conferences.id))
    .limit(1);
  return c ?? null;
}

/** Call after the plan's end is written, in the same transaction. An address not configured is no message. */
async function notifyPlanEnded(tx: Tx, now: string, planId: string) {
  const [plan] = await tx
    .select({
      childId: plans.childId,
      startDate: plans.startDate,
      endDate: plans.endDate,
      authority: plans.authority,
      childAuthority: children.authority,
    })
    .from(plans)
    .innerJoin(children, eq(children.id, plans.childId))
    .where(eq(plans.id, planId));
  if (!plan) return;
  const authority = plan.authority ?? plan.childAuthority;
  const conference = await conferenceLeadingTo(tx, { id: planId, ...plan });
  const represented = conference
    ? await tx
        .select({ email: agencies.contactEmail })
        .from(conferenceAgencies)
        .innerJoin(agencies, eq(agencies.id, conferenceAgencies.agencyId))
        .where(eq(conferenceAgencies.conferenceId, conference.id))
    : [];
  const [contacts] = await tx
    .select({ health: authorities.healthContactEmail, education: authorities.educationContactEmail })
    .from(authorities)
    .where(eq(authorities.code, authority));
  await enqueue(tx, now, [
    {
      authority,
      kind: "plan_ended",
      // Each end its own message: a plan the case system reopens and ends again is told of again.
      sourceId: `${planId}:${plan.endDate}`,
      reference: planReference(planId),
      emails: [...represented.map((a) => a.email), contacts?.health, contacts?.education],
    },
  ]);
}

/**
 * Ends a current plan and tells those seed 004 §47 names, in the caller's transaction: every
 * path that ends a plan one at a time comes through here, so none can end one silently.
 */
export async function endPlan(tx: Tx, now: string, planId: string, endDate: string, endReason: (typeof planEndReasons)[number]) {
  const ended = await tx
    .update(plans)
    .set({ endDate, endReason })
    .where(and(eq(plans.id, planId), isNull(plans.endDate)))
    .returning({ id: plans.id });
  if (ended.length) await afterPlanEnded(tx, now, planId, endDate, endReason);
}

/** What follows a plan's end, written in its transaction: for `endPlan`, and the import, which ends plans in bulk. */
export async function afterPlanEnded(tx: Tx, now: string, planId: string, endDate: string, endReason: string) {
  await settleMoveInOf(tx, planId, endDate, endReason);
  await notifyPlanEnded(tx, now, planId);
}

/**
 * A temporary plan ended other than by its move in's outcome (the child died, turned 18, left
 * the UK) needs no receiving-in conference any more: the move in is settled as procedures not
 * applied, saying why, so its deadline does not stand open for ever. A handover (a move within
 * the deployment) is settled by the receiving authority whatever befalls the sending plan.
 * A move in settled by its own outcome is settled before its plan ends, so is left as it is.
 */
async function settleMoveInOf(tx: Tx, planId: string, endDate: string, endReason: string) {
  await tx
    .update(movesIn)
    .set({ outcome: "procedures_not_applied", decidedOn: endDate, reason: `the temporary plan ended (${endReason})` })
    .where(and(eq(movesIn.planId, planId), isNull(movesIn.outcome), isNull(movesIn.handoverOf)));
}
