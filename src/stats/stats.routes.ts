import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, rateLimitHeaders } from "../http/router";
import { StatsQuery, StatsSchema } from "./stats.schemas";
import { boardStatistics, statisticsCsv, statisticsCsvHeaders } from "./stats.service";

const stats = createRoute({
  method: "get",
  path: "/v1/stats",
  tags: ["Statistics"],
  summary: "Figures for the Safeguarding Children Board over a period (Accept: text/csv for CSV)",
  operationId: "boardStatistics",
  description:
    "Figures for the Safeguarding Children Board over a period, for one or all of your authorities: the register, enquiries, call-backs, notifications and child-in-need considerations. Counts of 1 to 4 are shown as `<5` unless `exact=true`. `Accept: text/csv` gives the same figures as CSV. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: [requireRole("designated_manager")],
  request: { query: StatsQuery },
  responses: {
    200: {
      description: "The figures",
      headers: rateLimitHeaders,
      content: {
        "application/json": { schema: StatsSchema },
        // A few hundred lines of `section,key,count`: the same figures as the JSON.
        "text/csv": { schema: z.string().max(1_000_000).openapi({ example: "section,measure,key,value\r\n" }) },
      },
    },
    ...errorResponses(404, 422),
  },
});

export const statsRoutes = createRouter().openapi(stats, async (c) => {
  const q = c.req.valid("query");
  const s = await boardStatistics(ctxOf(c), { from: q.from, to: q.to, authority: q.authority?.toUpperCase(), exact: q.exact === "true" });
  if (/\btext\/csv\b/.test(c.req.header("accept") ?? "")) return c.body(statisticsCsv(s), 200, statisticsCsvHeaders(s));
  return c.json(s, 200);
});
