/**
 * Seed 004 §42: a child protection plan ends when the child reaches 18. A scheduled job (an
 * interval on Node, a Cron Trigger on Workers: both call this) ends each current plan whose
 * child has turned 18 with `reached_18` on the birthday itself, even if the job runs late.
 * Running it again changes nothing. The plan stays in the child's history.
 */
import { and, eq, isNull, lte } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { children, plans } from "../db/schema";
import type { Store } from "../db/store";
import type { Clock } from "../lib/clock";
import { londonToday } from "../lib/dates";
import { endPlan } from "./plan-ended";

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The 18th birthday; for 29 February, 1 March in a common year (as the law of England and Wales counts it). */
export function eighteenthBirthday(dateOfBirth: string): string {
  const y = Number(dateOfBirth.slice(0, 4)) + 18;
  const md = dateOfBirth.slice(5);
  return md === "02-29" && !isLeap(y) ? `${y}-03-01` : `${y}-${md}`;
}

export async function endPlansAtEighteen(store: Store, clock: Clock, requestId = "scheduled:reached-18"): Promise<{ ended: number }> {
  const today = londonToday(clock.now());
  // Everyone born on or before this date has had their 18th birthday (29 February is checked below).
  const cutoff = `${Number(today.slice(0, 4)) - 18}${today.slice(4)}`;
  return store.write(async (tx) => {
    const due = await tx
      .select({
        planId: plans.id,
        childId: plans.childId,
        startDate: plans.startDate,
        dateOfBirth: children.dateOfBirth,
        authority: children.authority,
      })
      .from(plans)
      .innerJoin(children, eq(children.id, plans.childId))
      .where(and(isNull(plans.endDate), lte(children.dateOfBirth, cutoff)));
    let ended = 0;
    for (const p of due) {
      const birthday = eighteenthBirthday(p.dateOfBirth!);
      if (birthday > today) continue;
      // A plan started after the birthday (recorded in error) ends the day it started, never before.
      const endDate = birthday < p.startDate ? p.startDate : birthday;
      await endPlan(tx, clock.now().toISOString(), p.planId, endDate, "reached_18");
      await recordAudit(
        tx,
        { store, clock, requestId, principal: null },
        {
          action: "plan.end",
          target: { type: "child", id: p.childId },
          authority: p.authority,
          detail: { planId: p.planId, endDate, endReason: "reached_18", by: "scheduled job" },
        },
      );
      ended++;
    }
    return { ended };
  });
}
