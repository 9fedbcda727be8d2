import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { IdOut, MAX, NameOut, PhoneOut } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { PhoneNumber } from "../lib/phone";
import { addAgencyNumber, createAgency, listAgencies } from "./agencies.service";

const AgencyCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(MAX.name).openapi({ example: "Staffordshire Police" }),
    recognisedNumbers: z.array(PhoneNumber).max(50).default([]),
  })
  .openapi("AgencyCreate");

/** An agency's recognised numbers: 50 at creation, and the desk adds a few more at most. */
const MAX_AGENCY_NUMBERS = 500;

const AgencySchema = z.object({ id: IdOut, name: NameOut, recognisedNumbers: z.array(PhoneOut).max(MAX_AGENCY_NUMBERS) }).openapi("Agency");

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/agencies",
  tags: ["Register"],
  summary: "Record an agency and the numbers a call-back may use",
  operationId: "createAgency",
  description:
    "Records an agency (police, health, education...) and the telephone numbers a duty officer may ring back on; an agency's name is unique, case and spacing ignored. Designated managers only.",
  middleware: dmOnly,
  request: { body: jsonBody(AgencyCreate) },
  responses: { 201: jsonResponse(AgencySchema, "Created"), ...errorResponses(409, 422) },
});

const addNumber = createRoute({
  method: "post",
  path: "/v1/agencies/{id}/numbers",
  tags: ["Register"],
  summary: "Add a recognised number to an agency",
  operationId: "addAgencyNumber",
  description:
    "Adds one telephone number (any usual UK form, stored in E.164) to an agency's recognised numbers. Designated managers only.",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(z.strictObject({ number: PhoneNumber })) },
  responses: { 201: jsonResponse(AgencySchema, "The agency with its numbers"), ...errorResponses(404, 422) },
});

const list = createRoute({
  method: "get",
  path: "/v1/agencies",
  tags: ["Register"],
  summary: "Agencies and their recognised numbers",
  operationId: "listAgencies",
  description:
    "Agencies with their recognised numbers, a page at a time: what a duty officer dials on a call-back. Designated managers and duty officers.",
  middleware: [requireRole("designated_manager", "duty_officer")],
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(AgencySchema), "Agencies"), ...errorResponses() },
});

export const agencyRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createAgency(ctxOf(c), c.req.valid("json")), 201))
  .openapi(addNumber, async (c) => c.json(await addAgencyNumber(ctxOf(c), c.req.valid("param").id, c.req.valid("json").number), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listAgencies(ctxOf(c), { after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (a) => a.id, c.req.url),
      200,
    );
  });
