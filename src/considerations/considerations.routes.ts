import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { ConsiderationDecision, ConsiderationSchema } from "./considerations.schemas";
import { decideConsideration, listConsiderations } from "./considerations.service";

const dmOnly = [requireRole("designated_manager")];

const list = createRoute({
  method: "get",
  path: "/v1/cin-considerations",
  tags: ["Considerations"],
  summary: "Child-in-need considerations of your authorities (default: open), oldest first",
  operationId: "listConsiderations",
  description:
    "Child-in-need considerations of your authorities, oldest first: opened when a second enquiry is made about a child who is not an open case, with the enquiries that led to it (one linked only by the near-miss rules is marked `possibleLink`). Designated managers, for their own authorities (the token's `authorities`); out of office hours a duty officer too, for those of their authorities whose offices are closed (the out-of-hours service acts as the designated manager). A duty officer in office hours: 403. Decisions stay with the designated manager.",
  middleware: [requireRole("designated_manager", "duty_officer")],
  request: { query: PageQuery.extend({ status: z.enum(["open", "decided"]).default("open") }) },
  responses: { 200: jsonResponse(page(ConsiderationSchema), "Considerations"), ...errorResponses() },
});

const decide = createRoute({
  method: "post",
  path: "/v1/cin-considerations/{id}/decision",
  tags: ["Considerations"],
  summary: "Record whether the child is, or may be, a child in need",
  operationId: "decideConsideration",
  description:
    "Records whether the child is, or may be, a child in need, or was referred, with a note. 409 once decided. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(ConsiderationDecision) },
  responses: { 200: jsonResponse(ConsiderationSchema, "The consideration as decided"), ...errorResponses(404, 409, 422) },
});

export const considerationRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listConsiderations(ctxOf(c), { status: q.status, after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (r) => r.id, c.req.url),
      200,
    );
  })
  .openapi(decide, async (c) => c.json(await decideConsideration(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200));
