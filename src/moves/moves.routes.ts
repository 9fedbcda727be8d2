import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { MoveInSchema, MoveOutSchema } from "../register/move-views";
import { DeadlineSchema, MoveInCreate, MoveInOutcome, MoveInPatch, MoveOutConfirmation, MoveOutCreate } from "./moves.schemas";
import { confirmMoveOut, createMoveIn, createMoveOut, getMoveIn, listDeadlines, patchMoveIn, recordMoveInOutcome } from "./moves.service";

const dmOnly = [requireRole("designated_manager")];
const tags = ["Moves and deadlines"];

const createIn = createRoute({
  method: "post",
  path: "/v1/moves-in",
  tags,
  summary: "A child subject to another authority's plan moving in: on the register with a temporary plan, receiving-in conference due",
  operationId: "createMoveIn",
  description:
    "Records a child subject to another authority's plan moving into one of yours: the child goes on the register with a temporary plan and a receiving-in conference falls due 15 working days after the move. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { body: jsonBody(MoveInCreate) },
  responses: {
    201: jsonResponse(MoveInSchema, "Recorded; receivingInConferenceDue is 15 working days after the move"),
    ...errorResponses(409, 422),
  },
});

const getIn = createRoute({
  method: "get",
  path: "/v1/moves-in/{id}",
  tags,
  summary: "A move in (audited)",
  operationId: "getMoveIn",
  description:
    "One move in with its deadline and outcome. An audited read. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(MoveInSchema, "The move"), ...errorResponses(404) },
});

const patchIn = createRoute({
  method: "patch",
  path: "/v1/moves-in/{id}",
  tags,
  summary: "An impending move that has happened, or a changed move date: the deadline follows the move",
  operationId: "patchMoveIn",
  description:
    "Records that an impending move happened, or changes the move date; the receiving-in deadline follows the move date. 409 once settled. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(MoveInPatch) },
  responses: { 200: jsonResponse(MoveInSchema, "The move as it now stands"), ...errorResponses(404, 409, 422) },
});

const outcomeIn = createRoute({
  method: "post",
  path: "/v1/moves-in/{id}/outcome",
  tags,
  summary: "The receiving-in conference's decision, or that local procedures do not apply: the temporary status ends",
  operationId: "recordMoveInOutcome",
  description:
    "Records the receiving-in conference's decision (a plan of this authority, or none), or that local procedures do not apply (with the reason); the temporary registration ends. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(MoveInOutcome) },
  responses: { 200: jsonResponse(MoveInSchema, "Settled"), ...errorResponses(404, 409, 422) },
});

const createOut = createRoute({
  method: "post",
  path: "/v1/children/{id}/moves-out",
  tags,
  summary: "A child on a plan moving to another authority: the plan stays current until the receiving authority confirms",
  operationId: "createMoveOut",
  description:
    "Records a child on one of your plans moving to another authority; the plan stays current until the receiving authority's decision is confirmed. `receivingAuthority.code` names an authority of this deployment to hand the record over to. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(MoveOutCreate) },
  responses: { 201: jsonResponse(MoveOutSchema, "Recorded"), ...errorResponses(404, 409, 422) },
});

const confirmOut = createRoute({
  method: "post",
  path: "/v1/moves-out/{id}/confirmation",
  tags,
  summary: "The receiving authority's confirmed decision: the local plan ends with moved_authority",
  operationId: "confirmMoveOut",
  description:
    "Records the receiving authority's confirmed decision: the local plan ends with the reason `moved_authority`. 409 when the record was handed over within the deployment. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(MoveOutConfirmation) },
  responses: { 200: jsonResponse(MoveOutSchema, "Confirmed"), ...errorResponses(404, 409, 422) },
});

const deadlines = createRoute({
  method: "get",
  path: "/v1/deadlines",
  tags,
  summary: "Receiving-in conferences not yet settled in your authorities, soonest first",
  operationId: "listDeadlines",
  description:
    "Receiving-in conferences not yet settled in your authorities, soonest first: those due, those overdue, or all. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { query: z.object({ status: z.enum(["due", "overdue", "all"]).default("all") }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(DeadlineSchema).max(10_000) }), "Deadlines"), ...errorResponses() },
});

export const moveRoutes = createRouter()
  .openapi(createIn, async (c) => c.json(await createMoveIn(ctxOf(c), c.req.valid("json")), 201))
  .openapi(getIn, async (c) => c.json(await getMoveIn(ctxOf(c), c.req.valid("param").id), 200))
  .openapi(patchIn, async (c) => c.json(await patchMoveIn(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(outcomeIn, async (c) => c.json(await recordMoveInOutcome(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(createOut, async (c) => c.json(await createMoveOut(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 201))
  .openapi(confirmOut, async (c) => c.json(await confirmMoveOut(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(deadlines, async (c) => c.json({ items: await listDeadlines(ctxOf(c), c.req.valid("query").status) }, 200));
