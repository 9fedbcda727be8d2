import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { considerationDecisions } from "../db/schema";
import { EnquirerSchema, EnquiryDetailsSchema } from "../enquiries/enquiries.schemas";
import { decodeCursor, page, PageQuery, toPage } from "../lib/pagination";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../lib/router";
import { decideConsideration, listConsiderations } from "./considerations.service";

const ConsiderationSchema = z
  .object({
    id: z.string(),
    authority: z.string(),
    status: z.enum(["open", "decided"]),
    openedAt: z.string(),
    decidedAt: z.string().nullable(),
    decision: z.enum(considerationDecisions).nullable(),
    note: z.string().nullable(),
    enquiries: z.array(
      z.object({
        id: z.string(),
        reference: z.string(),
        receivedAt: z.string(),
        enquirer: EnquirerSchema,
        child: EnquiryDetailsSchema.shape.child,
        addresses: EnquiryDetailsSchema.shape.addresses,
        reason: z.string(),
      }),
    ),
  })
  .openapi("CinConsideration");

/** A designated manager's decision; the desk's form is checked against the same schema. */
export const ConsiderationDecision = z.strictObject({ decision: z.enum(considerationDecisions), note: z.string().trim().min(1).max(4000) });

const dmOnly = [requireRole("designated_manager")];

const list = createRoute({
  method: "get",
  path: "/v1/cin-considerations",
  tags: ["Considerations"],
  summary: "Child-in-need considerations of your authorities (default: open), oldest first",
  middleware: dmOnly,
  request: { query: PageQuery.extend({ status: z.enum(["open", "decided"]).default("open") }) },
  responses: { 200: jsonResponse(page(ConsiderationSchema), "Considerations"), ...errorResponses() },
});

const decide = createRoute({
  method: "post",
  path: "/v1/cin-considerations/{id}/decision",
  tags: ["Considerations"],
  summary: "Record whether the child is, or may be, a child in need",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(ConsiderationDecision) },
  responses: { 200: jsonResponse(ConsiderationSchema, "The consideration as decided"), ...errorResponses(404, 409, 422) },
});

export const considerationRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listConsiderations(ctxOf(c), { status: q.status, after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(toPage(rows, q.limit, (r) => r.id, c.req.url), 200);
  })
  .openapi(decide, async (c) => c.json(await decideConsideration(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200));
