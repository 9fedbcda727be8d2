import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { decodeCursor, page, PageQuery, toPage } from "../lib/pagination";
import { createRouter, errorResponses, jsonResponse } from "../lib/router";
import { listTrawlAlerts } from "./alerts.service";

const AlertSchema = z
  .object({
    id: z.string(),
    kind: z.literal("suspected_trawl"),
    authority: z.string(),
    at: z.string(),
    enquirer: z.object({ userId: z.string(), name: z.string(), profession: z.string().nullable(), agency: z.string().nullable() }),
    enquiriesInWindow: z.number().int(),
    windowMinutes: z.number().int(),
  })
  .openapi("TrawlAlert");

const list = createRoute({
  method: "get",
  path: "/v1/alerts",
  tags: ["Considerations"],
  summary: "Suspected trawls: enquirers refused for making too many enquiries (designated manager)",
  middleware: [requireRole("designated_manager")],
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(AlertSchema), "Alerts, newest first"), ...errorResponses() },
});

export const alertRoutes = createRouter().openapi(list, async (c) => {
  const q = c.req.valid("query");
  const rows = await listTrawlAlerts(ctxOf(c), { before: decodeCursor(q.cursor), limit: q.limit });
  return c.json(toPage(rows, q.limit, (r) => r.id, c.req.url), 200);
});
