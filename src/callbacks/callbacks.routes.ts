import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { AnswerSchema, EnquirerSchema, EnquiryDetailsSchema, EnquiryIdParam } from "../enquiries/enquiries.schemas";
import { decodeNumericCursor, page, PageQuery, toPage } from "../lib/pagination";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { claimCallback, compareCandidates, completeCallback, confirmMatch, getCallback, listQueue } from "./callbacks.service";

export const CallbackItemSchema = z
  .object({
    id: z.string().openapi({ description: "The enquiry's id" }),
    reference: z.string(),
    status: z.enum(["awaiting_callback", "in_callback", "answered"]),
    receivedAt: z.string(),
    outOfHours: z.boolean(),
    claimedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
    enquiry: EnquiryDetailsSchema,
    enquirer: EnquirerSchema,
    callbackNumber: z.string(),
    callbackNumberRecognised: z.boolean(),
    recognisedNumbers: z.array(z.string()),
    answer: AnswerSchema,
    answeredAt: z.string().nullable(),
    numberDialled: z.string().nullable(),
    adviceGiven: z.string().nullable(),
  })
  .openapi("CallbackItem");

const dutyOnly = [requireRole("duty_officer")];

/** The bodies of the officer's two decisions; the desk's forms are checked by the same schemas. */
export const ConfirmMatchBody = z.strictObject({ childId: z.string().min(1).max(100).nullable() });
export const CompleteCallbackBody = z.strictObject({ numberDialled: z.string().trim().min(1).max(40), adviceGiven: z.string().trim().min(1).max(4000) });
const itemResponse = { 200: jsonResponse(CallbackItemSchema, "The item as it now stands"), ...errorResponses(404, 409, 422) };

const list = createRoute({
  method: "get",
  path: "/v1/callbacks",
  tags: ["Call-back queue"],
  summary: "The call-back queue of your authorities, oldest first",
  middleware: dutyOnly,
  request: { query: PageQuery.extend({ status: z.enum(["pending", "claimed", "completed"]).default("pending") }) },
  responses: { 200: jsonResponse(page(CallbackItemSchema), "Queue items"), ...errorResponses() },
});

const getOne = createRoute({
  method: "get",
  path: "/v1/callbacks/{enquiryId}",
  tags: ["Call-back queue"],
  summary: "One item of the queue, as it now stands (an audited read)",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam },
  responses: { 200: jsonResponse(CallbackItemSchema, "The item"), ...errorResponses(404) },
});

const CandidateDetails = z
  .object({
    id: z.string(),
    reference: z.string(),
    enquiry: EnquiryDetailsSchema,
    candidates: z.array(
      z.object({
        childId: z.string(),
        score: z.number(),
        reasons: z.array(z.string()),
        givenNames: z.string(),
        familyName: z.string(),
        aliases: z.array(z.object({ givenNames: z.string().nullable(), familyName: z.string().nullable() })),
        dateOfBirth: z.string().nullable(),
        sex: z.string().nullable(),
        nhsNumber: z.string().nullable(),
        addresses: z
          .array(z.object({ line1: z.string(), line2: z.string().nullable(), town: z.string().nullable(), postcode: z.string().nullable(), current: z.boolean() }))
          .openapi({ description: "The present address only; none for a child another authority holds" }),
      }),
    ),
    heldElsewhere: z.number().int().openapi({ description: "Candidates left out: handed over to another authority since the enquiry came in" }),
  })
  .openapi("CandidateComparison");

const candidates = createRoute({
  method: "get",
  path: "/v1/callbacks/{enquiryId}/candidates",
  tags: ["Call-back queue"],
  summary: "For a possible match you hold: the enquiry beside each candidate's identifying details, to settle it with the enquirer",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam },
  responses: { 200: jsonResponse(CandidateDetails, "The comparison"), ...errorResponses(404, 409) },
});

const claim = createRoute({
  method: "post",
  path: "/v1/callbacks/{enquiryId}/claim",
  tags: ["Call-back queue"],
  summary: "Take a call-back (again by the same officer is fine; 409 if another holds it)",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam },
  responses: itemResponse,
});

const confirm = createRoute({
  method: "post",
  path: "/v1/callbacks/{enquiryId}/confirm-match",
  tags: ["Call-back queue"],
  summary: "Settle a possible match: the candidate confirmed with the enquirer, or null for none of them",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam, body: jsonBody(ConfirmMatchBody) },
  responses: itemResponse,
});

const complete = createRoute({
  method: "post",
  path: "/v1/callbacks/{enquiryId}/complete",
  tags: ["Call-back queue"],
  summary: "Record the call-back: the recognised number dialled and the advice given",
  middleware: dutyOnly,
  request: {
    params: EnquiryIdParam,
    body: jsonBody(CompleteCallbackBody),
  },
  responses: itemResponse,
});

export const callbackRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listQueue(ctxOf(c), { status: q.status, after: decodeNumericCursor(q.cursor), limit: q.limit });
    const { items, next } = toPage(rows, q.limit, (r) => String(r.cursor), c.req.url);
    return c.json({ items: items.map(({ cursor: _c, ...r }) => r), next }, 200);
  })
  .openapi(getOne, async (c) => c.json(await getCallback(ctxOf(c), c.req.valid("param").enquiryId), 200))
  .openapi(candidates, async (c) => c.json(await compareCandidates(ctxOf(c), c.req.valid("param").enquiryId), 200))
  .openapi(claim, async (c) => c.json(await claimCallback(ctxOf(c), c.req.valid("param").enquiryId), 200))
  .openapi(confirm, async (c) => c.json(await confirmMatch(ctxOf(c), c.req.valid("param").enquiryId, c.req.valid("json").childId), 200))
  .openapi(complete, async (c) => c.json(await completeCallback(ctxOf(c), c.req.valid("param").enquiryId, c.req.valid("json")), 200));
