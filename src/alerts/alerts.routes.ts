import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { decodeCursor, page, PageQuery, toPage } from "../lib/pagination";
import { AuthorityCodeOut, IdOut, InstantOut, int32, MAX, NameOut, Text, UserIdOut } from "../lib/fields";
import { createRouter, errorResponses, jsonResponse } from "../lib/router";
import { listTrawlAlerts } from "./alerts.service";

const AlertSchema = z
  .object({
    id: IdOut,
    kind: z.literal("suspected_trawl"),
    authority: AuthorityCodeOut,
    at: InstantOut,
    enquirer: z.object({ userId: UserIdOut, name: NameOut, profession: Text(MAX.label).nullable(), agency: NameOut.nullable() }),
    enquiriesInWindow: int32(),
    windowMinutes: int32(1),
  })
  .openapi("TrawlAlert");

const list = createRoute({
  method: "get",
  path: "/v1/alerts",
  tags: ["Considerations"],
  summary: "Suspected trawls: enquirers refused for making too many enquiries (designated manager)", operationId: "listTrawlAlerts", description: "Suspected trawls in your authorities, newest first: enquirers refused for making too many enquiries in the window, with how many they made. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: [requireRole("designated_manager")],
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(AlertSchema), "Alerts, newest first"), ...errorResponses() },
});

export const alertRoutes = createRouter().openapi(list, async (c) => {
  const q = c.req.valid("query");
  const rows = await listTrawlAlerts(ctxOf(c), { before: decodeCursor(q.cursor), limit: q.limit });
  return c.json(toPage(rows, q.limit, (r) => r.id, c.req.url), 200);
});
