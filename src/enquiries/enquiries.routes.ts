import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { decodeNumericCursor, PageQuery, page, toPage } from "../lib/pagination";
import { EnquiryAboutChild, EnquiryCreate, EnquiryCreated, EnquirySchema } from "./enquiries.schemas";
import { enquiriesAboutChild, getOwnEnquiry, listOwnEnquiries } from "./enquiries.service";
import { submitEnquiry } from "./submit.service";

const enquirerOnly = [requireRole("enquirer")];
const dmOnly = [requireRole("designated_manager")];

const submit = createRoute({
  method: "post",
  path: "/v1/enquiries",
  tags: ["Enquiries"],
  summary: "Ask whether a child is or was subject of a child protection plan (answered by call-back)",
  operationId: "submitEnquiry",
  description:
    "Records an enquiry about a child and checks it against the register of the authority (and of `alsoAuthorities`, and of those whose postcode areas hold an address given); the answer is given by a duty officer's call-back on a recognised number, never in this reply. Limited per login (by default 20 enquiries in any 15 minutes: 429 with `Retry-After`, and the designated manager is alerted to a possible trawl). An enquirer's profession must be one the authority takes (403 naming it). Enquirers only.",
  middleware: enquirerOnly,
  request: { body: jsonBody(EnquiryCreate) },
  responses: { 201: jsonResponse(EnquiryCreated, "Recorded; a duty officer will call back"), ...errorResponses(413, 415, 422, 429) },
});

const list = createRoute({
  method: "get",
  path: "/v1/enquiries",
  tags: ["Enquiries"],
  summary: "Your own enquiries, newest first",
  operationId: "listOwnEnquiries",
  description:
    "The enquiries you made, newest first, a page at a time, each with its answer once the call-back has given it. Enquirers only.",
  middleware: enquirerOnly,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(EnquirySchema), "Your enquiries"), ...errorResponses() },
});

const get = createRoute({
  method: "get",
  path: "/v1/enquiries/{id}",
  tags: ["Enquiries"],
  summary: "One of your enquiries, with the answer once given",
  operationId: "getOwnEnquiry",
  description: "One of the enquiries you made, with the answer once given; another user's is 404. An audited read. Enquirers only.",
  middleware: enquirerOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(EnquirySchema, "The enquiry"), ...errorResponses(404) },
});

const enquiriesAbout = createRoute({
  method: "get",
  path: "/v1/children/{id}/enquiries",
  tags: ["Register"],
  summary: "The enquiries made about a child, newest first (an audited read)",
  operationId: "listEnquiriesAboutChild",
  description:
    "The enquiries matched to the child (or confirmed on a call-back), newest first, at most 100: reference, when, the enquirer, the reason, whether answered. An audited read. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(EnquiryAboutChild).max(100) }), "The enquiries (the latest 100)"),
    ...errorResponses(404),
  },
});

export const enquiryRoutes = createRouter()
  .openapi(submit, async (c) => c.json(await submitEnquiry(ctxOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listOwnEnquiries(ctxOf(c), { before: decodeNumericCursor(q.cursor), limit: q.limit });
    const { items, next } = toPage(rows, q.limit, (r) => String(r.cursor), c.req.url);
    return c.json({ items: items.map(({ cursor: _c, ...r }) => r), next }, 200);
  })
  .openapi(get, async (c) => c.json(await getOwnEnquiry(ctxOf(c), c.req.valid("param").id), 200))
  .openapi(enquiriesAbout, async (c) => c.json({ items: await enquiriesAboutChild(ctxOf(c), c.req.valid("param").id) }, 200));
