import { createRoute } from "@hono/zod-openapi";
import { ctxOf, refusalTargetFromId, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { RiskPersonCreate, RiskPersonPatch, RiskPersonSchema } from "./risk.schemas";
import { createRiskPerson, getRiskPerson, listRiskPeople, patchRiskPerson } from "./risk.service";

const dmOnly = [requireRole("designated_manager")];
const dmOnlyOne = [refusalTargetFromId("person_posing_risk"), ...dmOnly];
const tags = ["People who may pose a risk"];
const who = "Designated managers only, for their own authorities (another authority's is 404); every read is audited.";

const create = createRoute({
  method: "post",
  path: "/v1/people-posing-risk",
  tags,
  summary: "Record a notification of a person who may pose a risk of significant harm to children",
  operationId: "createPersonPosingRisk",
  description: `Seed 000 §2.153. An enquiry whose present address is the person's present address, or naming a carer with the person's names and date of birth, alerts the designated manager. ${who}`,
  middleware: dmOnly,
  request: { body: jsonBody(RiskPersonCreate) },
  responses: { 201: jsonResponse(RiskPersonSchema, "The person as recorded"), ...errorResponses(422) },
});
const list = createRoute({
  method: "get",
  path: "/v1/people-posing-risk",
  tags,
  summary: "People who may pose a risk, newest first",
  operationId: "listPeoplePosingRisk",
  description: who,
  middleware: dmOnly,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(RiskPersonSchema), "People, newest first"), ...errorResponses() },
});
const getOne = createRoute({
  method: "get",
  path: "/v1/people-posing-risk/{id}",
  tags,
  summary: "One person who may pose a risk",
  operationId: "getPersonPosingRisk",
  description: who,
  middleware: dmOnlyOne,
  request: { params: IdParam },
  responses: { 200: jsonResponse(RiskPersonSchema, "The person"), ...errorResponses(404) },
});
const patch = createRoute({
  method: "patch",
  path: "/v1/people-posing-risk/{id}",
  tags,
  summary: "Change a person's record (lists given replace the recorded ones)",
  operationId: "patchPersonPosingRisk",
  description: who,
  middleware: dmOnlyOne,
  request: { params: IdParam, body: jsonBody(RiskPersonPatch) },
  responses: { 200: jsonResponse(RiskPersonSchema, "The person as now recorded"), ...errorResponses(404, 422) },
});

export const riskRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createRiskPerson(ctxOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listRiskPeople(ctxOf(c), { before: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (r) => r.id, c.req.url),
      200,
    );
  })
  .openapi(getOne, async (c) => c.json(await getRiskPerson(ctxOf(c), c.req.valid("param").id), 200))
  .openapi(patch, async (c) => c.json(await patchRiskPerson(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200));
