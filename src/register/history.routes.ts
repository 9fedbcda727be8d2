import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { CalendarDate } from "../lib/dates";
import { manualPlanEndReasons, planCategories } from "../lib/vocabulary";
import { AgenciesRepresented, CaseSchema, ConferenceSchema, PlanSchema } from "./children.schemas";
import { addCase, addConference, addPlan, patchCase, patchPlan } from "./history.service";

const CaseType = z.enum(["child_in_need", "child_protection", "looked_after"]);
const Categories = z
  .array(z.enum(planCategories))
  .min(1)
  .max(4)
  .refine((c) => new Set(c).size === c.length, "must not repeat a category");

const CaseCreate = z
  .strictObject({ type: CaseType, openedOn: CalendarDate, closedOn: CalendarDate.nullish(), keyWorkerId: z.string().min(1).max(100) })
  .openapi("CaseCreate");
const CasePatch = z
  .strictObject({ type: CaseType.optional(), closedOn: CalendarDate.nullish(), keyWorkerId: z.string().min(1).max(100).optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one field to change" })
  .openapi("CasePatch");

const PlanCreate = z
  .strictObject({
    startDate: CalendarDate,
    categories: Categories,
    temporary: z.boolean().default(false),
    originatingAuthority: z.string().trim().min(1).max(200).nullish(),
  })
  .openapi("PlanCreate");

const PlanPatch = z
  .strictObject({
    categories: Categories.optional(),
    changedOn: CalendarDate.optional().openapi({ description: "When the categories changed; default today" }),
    endDate: CalendarDate.optional(),
    endReason: z.enum(manualPlanEndReasons).optional().openapi({
      description:
        "`moved_authority` is refused here (422): it comes only from a move out's confirmation (`POST /v1/moves-out/{id}/confirmation`) or a handover's outcome",
    }),
  })
  .refine((p) => p.categories || p.endDate, {
    path: ["categories"],
    message: "give categories to change, or endDate and endReason to end the plan",
  })
  .refine((p) => !p.endDate === !p.endReason, { path: ["endReason"], message: "endDate and endReason go together" })
  .openapi("PlanPatch");

const ConferenceCreate = z
  .strictObject({
    type: z.enum(["initial", "review", "receiving_in"]),
    heldOn: CalendarDate,
    outcome: z.enum(["plan", "no_plan"]),
    agenciesRepresented: AgenciesRepresented,
  })
  .openapi("ConferenceCreate");

const dmOnly = [requireRole("designated_manager")];
const errors = errorResponses(404, 409, 422);

const createCase = createRoute({
  method: "post",
  path: "/v1/children/{id}/cases",
  tags: ["Register"],
  summary: "Open (or record) a case with its key worker",
  operationId: "createCase",
  description:
    "Opens (or records a past) case of a child with its type and key worker. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(CaseCreate) },
  responses: { 201: jsonResponse(CaseSchema, "Created"), ...errors },
});
const updateCase = createRoute({
  method: "patch",
  path: "/v1/cases/{id}",
  tags: ["Register"],
  summary: "Close or reopen a case, or change its key worker",
  operationId: "patchCase",
  description:
    "Closes or reopens a case, changes its type or its key worker. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(CasePatch) },
  responses: { 200: jsonResponse(CaseSchema, "As it now stands"), ...errors },
});
const createPlan = createRoute({
  method: "post",
  path: "/v1/children/{id}/plans",
  tags: ["Register"],
  summary: "Start a child protection plan",
  operationId: "createPlan",
  description:
    "Starts a child protection plan with its categories (409 while another plan of the child is current). Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(PlanCreate) },
  responses: { 201: jsonResponse(PlanSchema, "Created"), ...errors },
});
const updatePlan = createRoute({
  method: "patch",
  path: "/v1/plans/{id}",
  tags: ["Register"],
  summary: "Change a plan's categories (history kept) or end it",
  operationId: "patchPlan",
  description:
    "Changes a plan's categories (the change is kept in its category history) or ends it with an end date and reason. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(PlanPatch) },
  responses: { 200: jsonResponse(PlanSchema, "As it now stands"), ...errors },
});
const createConference = createRoute({
  method: "post",
  path: "/v1/children/{id}/conferences",
  tags: ["Register"],
  summary: "Record a conference and its outcome",
  operationId: "createConference",
  description:
    "Records an initial, review or receiving-in conference, whether it decided on a plan, and the agencies represented at it (told when the plan it led to ends; an unknown agency id is 422). Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(ConferenceCreate) },
  responses: { 201: jsonResponse(ConferenceSchema, "Created"), ...errors },
});

export const historyRoutes = createRouter()
  .openapi(createCase, async (c) => c.json(await addCase(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 201))
  .openapi(updateCase, async (c) => c.json(await patchCase(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(createPlan, async (c) => c.json(await addPlan(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 201))
  .openapi(updatePlan, async (c) => c.json(await patchPlan(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(createConference, async (c) => c.json(await addConference(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 201));
