import { z } from "@hono/zod-openapi";
import { CalendarDate } from "../lib/dates";
import { AuthorityCodeOut, DateOut, int32, MAX, Text } from "../lib/fields";

export const Cell = z.union([int32(), z.literal("<5")]).openapi({ description: "A count; 1 to 4 is shown as <5 unless exact=true" });
/** Counts by category, age band, reason, agency type, profession...: a few dozen keys at most. */
export const Cells = z.record(Text(MAX.label), Cell).openapi({ maxProperties: 200 });
/** The authorities a token may list (its `authorities` claim holds at most 50). */
export const MAX_AUTHORITIES = 50;
/** Minutes are within the period asked for: a few hundred years at most. */
export const MAX_MINUTES = 200 * 366 * 24 * 60;

export const StatsSchema = z
  .object({
    authorities: z.array(AuthorityCodeOut).max(MAX_AUTHORITIES),
    from: DateOut,
    to: DateOut,
    asOf: DateOut.openapi({ description: "The day the register figures are taken on: the period's end, or today if sooner" }),
    exact: z.boolean(),
    register: z.object({
      onPlans: Cell,
      onPlansByCategory: Cells.openapi({ description: "A child with several categories counts in each" }),
      onPlansByAgeBand: Cells,
      plansStarted: Cell,
      plansEnded: Cell,
      plansEndedByReason: Cells,
      temporaryRegistrations: Cell,
      receivingInConferences: Cells.openapi({ description: "Those due in the period: met (decided by the due day), missed, pending" }),
    }),
    enquiries: z.object({
      received: Cell,
      byAgencyType: Cells,
      byProfession: Cells,
      byOutcome: Cells,
      inOfficeHours: Cell,
      outOfHours: Cell,
    }),
    callbacks: z.object({
      completed: Cell,
      minutesToCompletion: z
        .object({ median: z.number().min(0).max(MAX_MINUTES), p90: z.number().min(0).max(MAX_MINUTES) })
        .nullable()
        .openapi({ description: "From receipt to the completed call-back; withheld under 5 call-backs" }),
    }),
    notifications: z.object({ sent: Cell, byKind: Cells }),
    childInNeedConsiderations: z.object({ opened: Cell, decided: Cell, byDecision: Cells }),
    peoplePosingRisk: z.object({ notified: Cell, enquiriesLinked: Cell }).openapi({
      description:
        "Notifications of people who may pose a risk received in the period (by the date notified), and enquiries linked to them",
    }),
  })
  .openapi("BoardStatistics");

/** The period asked for; the desk's CSV link is read with the same schema. */
export const StatsQuery = z.object({
  from: CalendarDate,
  to: CalendarDate,
  authority: z.string().min(1).max(MAX.authority).optional().openapi({ description: "One of your authorities; all of them if left out" }),
  exact: z.enum(["true", "false"]).default("false").openapi({ description: "Exact counts, without small-number suppression" }),
});
