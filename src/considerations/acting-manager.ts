import { inArray } from "drizzle-orm";
import { closuresOf } from "../calendar/closures.service";
import { isWithinOfficeHours } from "../calendar/office-hours";
import { authorities } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { AppError } from "../lib/errors";
import { hasRole } from "../lib/principal";

/**
 * The authorities whose considerations and alerts the caller reads as the designated manager.
 * A designated manager: all of theirs. A duty officer: those whose offices are closed now (the
 * authority's hours and closure days), because out of hours the Emergency Duty Team acts as the
 * designated manager (the Pan Dorset note); in office hours that is the manager's, and 403.
 */
export async function actingManagerAuthorities(ctx: Ctx, q: Queryable): Promise<string[]> {
  const mine = ctx.principal.authorities;
  if (hasRole(ctx.principal, "designated_manager")) return mine;
  if (!hasRole(ctx.principal, "duty_officer") || !mine.length)
    throw new AppError("forbidden", "This needs the `designated_manager` role, or `duty_officer` out of office hours.");
  const now = ctx.clock.now();
  const rows = await q
    .select({ code: authorities.code, officeHours: authorities.officeHours })
    .from(authorities)
    .where(inArray(authorities.code, mine));
  const closed: string[] = [];
  for (const a of rows) if (!isWithinOfficeHours(a.officeHours, now, await closuresOf(q, a.code))) closed.push(a.code);
  if (!closed.length)
    throw new AppError(
      "forbidden",
      "In office hours the designated manager reads the considerations and alerts; the out-of-hours service reads them when the offices are closed.",
    );
  return closed;
}
