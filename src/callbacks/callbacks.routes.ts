import { createRoute, z } from "@hono/zod-openapi";
import { EnquiryDetailsSchema, EnquiryIdParam, MAX_CANDIDATES, Reasons, Score } from "../enquiries/enquiries.schemas";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonBody, jsonResponse, jsonText } from "../http/router";
import { DateOut, enumOutOrNull, IdOut, int32, MAX, NameOut, PostcodeOut, ReferenceOut, Text } from "../lib/fields";
import { decodeNumericCursor, PageQuery, page, toPage } from "../lib/pagination";
import { MAX_PEOPLE, PersonSchema, Sex } from "../register/children.schemas";
import { CallbackItemSchema, CompleteCallbackBody, ConfirmMatchBody } from "./callbacks.schemas";
import { claimCallback, compareCandidates, completeCallback, confirmMatch, getCallback, listQueue } from "./callbacks.service";

const dutyOnly = [requireRole("duty_officer")];

const itemResponse = { 200: jsonResponse(CallbackItemSchema, "The item as it now stands"), ...errorResponses(404, 409, 422) };

const list = createRoute({
  method: "get",
  path: "/v1/callbacks",
  tags: ["Call-back queue"],
  summary: "The call-back queue of your authorities, oldest first",
  operationId: "listCallbacks",
  description:
    "The call-back queue of your authorities, oldest first: pending (awaiting a call-back), claimed or completed. Each item has the enquiry, the enquirer, the number to ring and the register's answer. The list is an audited read. Duty officers only.",
  middleware: dutyOnly,
  request: { query: PageQuery.extend({ status: z.enum(["pending", "claimed", "completed"]).default("pending") }) },
  responses: { 200: jsonResponse(page(CallbackItemSchema), "Queue items"), ...errorResponses() },
});

const getOne = createRoute({
  method: "get",
  path: "/v1/callbacks/{enquiryId}",
  tags: ["Call-back queue"],
  summary: "One item of the queue, as it now stands (an audited read)",
  operationId: "getCallback",
  description: "One item of the queue as it now stands. An audited read; another authority's is 404. Duty officers only.",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam },
  responses: { 200: jsonResponse(CallbackItemSchema, "The item"), ...errorResponses(404) },
});

const CandidateDetails = z
  .object({
    id: IdOut,
    reference: ReferenceOut,
    enquiry: EnquiryDetailsSchema,
    candidates: z
      .array(
        z.object({
          childId: IdOut,
          score: Score,
          reasons: Reasons,
          givenNames: NameOut,
          familyName: NameOut,
          aliases: z.array(z.object({ givenNames: NameOut.nullable(), familyName: NameOut.nullable() })).max(50),
          dateOfBirth: DateOut.nullable(),
          sex: enumOutOrNull(Sex.options),
          nhsNumber: z.string().max(10).nullable().openapi({ pattern: "^\\d{10}$", example: "9434765919" }),
          addresses: z
            .array(
              z.object({
                line1: Text(MAX.line),
                line2: Text(MAX.line).nullable(),
                town: Text(MAX.town).nullable(),
                postcode: PostcodeOut.nullable(),
                current: z.boolean(),
              }),
            )
            .max(1)
            .openapi({ description: "The present address only; none for a child another authority holds" }),
          people: z
            .array(
              PersonSchema.omit({ id: true }).extend({
                matchesCarer: z.boolean().openapi({
                  description: "One of the enquirer's carers has this person's name (and date of birth, where both are given)",
                }),
              }),
            )
            .max(MAX_PEOPLE)
            .openapi({
              description:
                "The record's parents, carers and significant others, beside the enquirer's carers; none for a child another authority holds",
            }),
        }),
      )
      .max(MAX_CANDIDATES),
    heldElsewhere: int32(0, MAX_CANDIDATES).openapi({
      description: "Candidates left out: handed over to another authority since the enquiry came in",
    }),
  })
  .openapi("CandidateComparison");

const candidates = createRoute({
  method: "get",
  path: "/v1/callbacks/{enquiryId}/candidates",
  tags: ["Call-back queue"],
  summary: "For a possible match you hold: the enquiry beside each candidate's identifying details, to settle it with the enquirer",
  operationId: "compareCandidates",
  description:
    "For a possible match you hold: the enquiry beside each candidate's identifying details as the register holds them, and why each is a candidate, to settle it with the enquirer. Audited with every candidate shown. 409 when not held or already settled. Duty officers only.",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam },
  responses: { 200: jsonResponse(CandidateDetails, "The comparison"), ...errorResponses(404, 409) },
});

const claim = createRoute({
  method: "post",
  path: "/v1/callbacks/{enquiryId}/claim",
  tags: ["Call-back queue"],
  summary: "Take a call-back (again by the same officer is fine; 409 if another holds it)",
  operationId: "claimCallback",
  description:
    "Takes a call-back: it is yours until completed (claiming it again yourself is fine; 409 if another officer holds it). Duty officers only.",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam },
  responses: itemResponse,
});

const confirm = createRoute({
  method: "post",
  path: "/v1/callbacks/{enquiryId}/confirm-match",
  tags: ["Call-back queue"],
  summary: "Settle a possible match: the candidate confirmed with the enquirer, or null for none of them",
  operationId: "confirmMatch",
  description:
    "Settles a possible match of a call-back you hold: the candidate confirmed with the enquirer (the answer becomes that child's), or null for none of them (not known). Duty officers only.",
  middleware: dutyOnly,
  request: { params: EnquiryIdParam, body: jsonBody(ConfirmMatchBody) },
  responses: itemResponse,
});

const complete = createRoute({
  method: "post",
  path: "/v1/callbacks/{enquiryId}/complete",
  tags: ["Call-back queue"],
  summary: "Record the call-back: the recognised number dialled and the advice given",
  operationId: "completeCallback",
  description:
    "Records the call-back of an item you hold: the number dialled (one of the enquirer's agency's recognised numbers) and the advice given; the enquirer then sees the answer. Duty officers only.",
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
    // The items come as finished JSON (callbacks.service.ts), so the page is joined, not re-serialised.
    return jsonText<z.infer<ReturnType<typeof page<typeof CallbackItemSchema>>>>(
      c,
      `{"items":[${items.map((i) => i.json).join(",")}],"next":${JSON.stringify(next)}}`,
    );
  })
  .openapi(getOne, async (c) => c.json(await getCallback(ctxOf(c), c.req.valid("param").enquiryId), 200))
  .openapi(candidates, async (c) => c.json(await compareCandidates(ctxOf(c), c.req.valid("param").enquiryId), 200))
  .openapi(claim, async (c) => c.json(await claimCallback(ctxOf(c), c.req.valid("param").enquiryId), 200))
  .openapi(confirm, async (c) => c.json(await confirmMatch(ctxOf(c), c.req.valid("param").enquiryId, c.req.valid("json").childId), 200))
  .openapi(complete, async (c) => c.json(await completeCallback(ctxOf(c), c.req.valid("param").enquiryId, c.req.valid("json")), 200));
