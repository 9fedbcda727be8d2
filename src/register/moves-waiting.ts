/**
 * Seed 004 §41, §63-65: while a move waits on its decision, that decision is not taken by hand
 * or by the case system's import. A move out not yet confirmed keeps the plan until the
 * receiving authority has decided; a move in not yet settled leaves it to the receiving-in
 * conference to find the temporary plan no longer needed, or to make it this authority's own.
 * A fact (the child died, turned 18, left the UK) still ends the plan.
 */
import { and, inArray, isNull } from "drizzle-orm";
import { movesIn, movesOut } from "../db/schema";
import type { Queryable } from "../db/store";
import type { FieldError } from "../lib/errors";

export interface WaitingMove {
  kind: "move_out" | "move_in";
  id: string;
}

/** The route that records the move's decision. */
export const decidingRoute = (m: WaitingMove) =>
  m.kind === "move_out" ? `POST /v1/moves-out/${m.id}/confirmation` : `POST /v1/moves-in/${m.id}/outcome`;

/** The end reasons that are a finding about the child, for the move's decision to make. */
const FINDINGS = new Set(["no_longer_at_risk", "procedures_not_applied"]);

/** What a change to a plan that `m` waits on may not do, each naming the route that decides it. */
export function refusedWhileWaiting(m: WaitingMove, change: { endReason?: string | null; temporary?: boolean }): FieldError[] {
  const route = decidingRoute(m);
  const refused: FieldError[] = [];
  if (change.endReason && FINDINGS.has(change.endReason))
    refused.push({
      path: "endReason",
      message:
        m.kind === "move_out"
          ? `a move out waits on the receiving authority: ${route}`
          : `the receiving-in conference decides this: ${route}`,
    });
  if (m.kind === "move_in" && change.temporary === false)
    refused.push({ path: "temporary", message: `the plan stays temporary until the receiving-in outcome: ${route}` });
  return refused;
}

/** The moves waiting on these plans: a move out unconfirmed, a move in (not a handover, which the receiver settles) unsettled. */
export async function movesWaitingOn(q: Queryable, planIds: string[]): Promise<(WaitingMove & { planId: string })[]> {
  if (!planIds.length) return [];
  const [out, into] = await Promise.all([
    q
      .select({ id: movesOut.id, planId: movesOut.planId })
      .from(movesOut)
      .where(and(inArray(movesOut.planId, planIds), isNull(movesOut.confirmedOn))),
    q
      .select({ id: movesIn.id, planId: movesIn.planId })
      .from(movesIn)
      .where(and(inArray(movesIn.planId, planIds), isNull(movesIn.outcome), isNull(movesIn.handoverOf))),
  ]);
  return [...out.map((m) => ({ kind: "move_out" as const, ...m })), ...into.map((m) => ({ kind: "move_in" as const, ...m }))];
}
