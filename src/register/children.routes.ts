import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { CalendarDate } from "../lib/dates";
import { decodeCursor, page, PageQuery, toPage } from "../lib/pagination";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../lib/router";
import { ChildCreate, ChildPatch, ChildRecordSchema, ChildSummarySchema } from "./children.schemas";
import { enquiriesAboutChild } from "../enquiries/enquiries.service";
import { createChild, getChild, patchChild, searchChildren } from "./children.service";

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/children",
  tags: ["Register"],
  summary: "Put a child on the register",
  middleware: dmOnly,
  request: { body: jsonBody(ChildCreate) },
  responses: { 201: jsonResponse(ChildRecordSchema, "The child's whole record"), ...errorResponses(409, 413, 422) },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/children/{id}",
  tags: ["Register"],
  summary: "Change a child's details (aliases and addresses given here replace the recorded ones)",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(ChildPatch) },
  responses: { 200: jsonResponse(ChildRecordSchema, "The record as it now stands"), ...errorResponses(404, 409, 413, 422) },
});

const get = createRoute({
  method: "get",
  path: "/v1/children/{id}",
  tags: ["Register"],
  summary: "A child's whole record (every read is audited)",
  middleware: dmOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(ChildRecordSchema, "The whole record"), ...errorResponses(404) },
});

const EnquiryAboutChild = z
  .object({
    id: z.string(),
    reference: z.string(),
    receivedAt: z.string(),
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    outOfHours: z.boolean(),
    enquirer: z.object({ name: z.string(), profession: z.string().nullable(), agency: z.string().nullable() }),
    reason: z.string(),
    answeredAt: z.string().nullable(),
  })
  .openapi("EnquiryAboutChild");

const enquiriesAbout = createRoute({
  method: "get",
  path: "/v1/children/{id}/enquiries",
  tags: ["Register"],
  summary: "The enquiries made about a child, newest first (an audited read)",
  middleware: dmOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(z.object({ items: z.array(EnquiryAboutChild) }), "The enquiries"), ...errorResponses(404) },
});

const search = createRoute({
  method: "get",
  path: "/v1/children",
  tags: ["Register"],
  summary: "Search your authorities' children by name and date of birth",
  middleware: dmOnly,
  request: {
    query: PageQuery.extend({
      q: z.string().trim().min(1).max(200).optional().openapi({ example: "amy smith" }),
      dateOfBirth: CalendarDate.optional(),
      authority: z.string().max(20).optional(),
    }).refine((q) => q.q || q.dateOfBirth, { path: ["q"], message: "give q (a name) or dateOfBirth" }),
  },
  responses: { 200: jsonResponse(page(ChildSummarySchema), "Children, oldest record first"), ...errorResponses() },
});

export const childRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createChild(ctxOf(c), c.req.valid("json")), 201))
  .openapi(patch, async (c) => c.json(await patchChild(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(get, async (c) => c.json(await getChild(ctxOf(c), c.req.valid("param").id), 200))
  .openapi(enquiriesAbout, async (c) => c.json({ items: await enquiriesAboutChild(ctxOf(c), c.req.valid("param").id) }, 200))
  .openapi(search, async (c) => {
    const q = c.req.valid("query");
    const rows = await searchChildren(ctxOf(c), { q: q.q, dateOfBirth: q.dateOfBirth, authority: q.authority, after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(toPage(rows, q.limit, (r) => r.id, c.req.url), 200);
  });
