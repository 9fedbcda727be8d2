import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { CalendarDate } from "../lib/dates";
import { createRouter, errorResponses } from "../lib/router";
import { boardStatistics, statisticsCsv, statisticsCsvHeaders } from "./stats.service";

const Cell = z.union([z.number().int(), z.literal("<5")]).openapi({ description: "A count; 1 to 4 is shown as <5 unless exact=true" });
const Cells = z.record(z.string(), Cell);
const StatsSchema = z
  .object({
    authorities: z.array(z.string()),
    from: z.string(),
    to: z.string(),
    asOf: z.string().openapi({ description: "The day the register figures are taken on: the period's end, or today if sooner" }),
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
    enquiries: z.object({ received: Cell, byAgencyType: Cells, byProfession: Cells, byOutcome: Cells, inOfficeHours: Cell, outOfHours: Cell }),
    callbacks: z.object({
      completed: Cell,
      minutesToCompletion: z.object({ median: z.number(), p90: z.number() }).nullable().openapi({ description: "From receipt to the completed call-back; withheld under 5 call-backs" }),
    }),
    notifications: z.object({ sent: Cell, byKind: Cells }),
    childInNeedConsiderations: z.object({ opened: Cell, decided: Cell, byDecision: Cells }),
  })
  .openapi("BoardStatistics");

/** The period asked for; the desk's CSV link is read with the same schema. */
export const StatsQuery = z.object({
  from: CalendarDate,
  to: CalendarDate,
  authority: z.string().min(1).max(20).optional().openapi({ description: "One of your authorities; all of them if left out" }),
  exact: z.enum(["true", "false"]).default("false").openapi({ description: "Exact counts, without small-number suppression" }),
});

const stats = createRoute({
  method: "get",
  path: "/v1/stats",
  tags: ["Statistics"],
  summary: "Figures for the Safeguarding Children Board over a period (Accept: text/csv for CSV)",
  middleware: [requireRole("designated_manager")],
  request: { query: StatsQuery },
  responses: {
    200: { description: "The figures", content: { "application/json": { schema: StatsSchema }, "text/csv": { schema: z.string() } } },
    ...errorResponses(404, 422),
  },
});

export const statsRoutes = createRouter().openapi(stats, async (c) => {
  const q = c.req.valid("query");
  const s = await boardStatistics(ctxOf(c), { from: q.from, to: q.to, authority: q.authority?.toUpperCase(), exact: q.exact === "true" });
  if (/\btext\/csv\b/.test(c.req.header("accept") ?? ""))
    return c.body(statisticsCsv(s), 200, statisticsCsvHeaders(s));
  return c.json(s, 200);
});
