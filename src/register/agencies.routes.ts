import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse } from "../http/router";
import { IdOut, MAX, NameOut, PhoneOut, Text } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { PhoneNumber } from "../lib/phone";
import { addAgencyNumber, createAgency, listAgencies, removeAgencyNumber, setAgencyContactEmail } from "./agencies.service";

/** Seed 004 §47: where the agency is told that a plan whose conference it attended has ended. */
const ContactEmail = z
  .email()
  .max(254)
  .nullable()
  .openapi({ description: "Where the agency is told a plan whose conference it attended has ended (null: not told)" });

const AgencyCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(MAX.name).openapi({ example: "Staffordshire Police" }),
    recognisedNumbers: z.array(PhoneNumber).max(50).default([]),
    contactEmail: ContactEmail.optional(),
  })
  .openapi("AgencyCreate");

const AgencyPatch = z.strictObject({ contactEmail: ContactEmail }).openapi("AgencyPatch");

/** An agency's recognised numbers: 50 at creation, and the desk adds a few more at most. */
const MAX_AGENCY_NUMBERS = 500;

const AgencySchema = z
  .object({
    id: IdOut,
    name: NameOut,
    contactEmail: Text(254).nullable().openapi({ format: "email" }),
    recognisedNumbers: z.array(PhoneOut).max(MAX_AGENCY_NUMBERS),
  })
  .openapi("Agency");

const NumberParams = IdParam.extend({
  number: PhoneNumber.openapi({
    param: { name: "number", in: "path" },
    description: "The number in E.164 (`+441785277041`) or any usual UK form",
    example: "+441785277041",
  }),
});

/** Who may change an agency: said once, in each route that does. */
const USERS_ONLY =
  "Designated managers only, of an authority whose enquirers use the agency (its manager recorded it, or its enquirers have enquired there); for anyone else the agency is not found (404). Audited under each authority that uses it.";

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/agencies",
  tags: ["Register"],
  summary: "Record an agency and the numbers a call-back may use",
  operationId: "createAgency",
  description:
    "Records an agency (police, health, education...), the telephone numbers a duty officer may ring back on and the email it is told at when a plan ends; an agency's name is unique, case and spacing ignored. The manager's authorities become the agency's users (so their managers may change its numbers); a manager acting for no authority this register holds gets 403. Designated managers only.",
  middleware: dmOnly,
  request: { body: jsonBody(AgencyCreate) },
  responses: { 201: jsonResponse(AgencySchema, "Created"), ...errorResponses(403, 409, 422) },
});

const addNumber = createRoute({
  method: "post",
  path: "/v1/agencies/{id}/numbers",
  tags: ["Register"],
  summary: "Add a recognised number to an agency",
  operationId: "addAgencyNumber",
  description: `Adds one telephone number (any usual UK form, stored in E.164) to an agency's recognised numbers. ${USERS_ONLY}`,
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(z.strictObject({ number: PhoneNumber })) },
  responses: { 201: jsonResponse(AgencySchema, "The agency with its numbers"), ...errorResponses(404, 422) },
});

const removeNumber = createRoute({
  method: "delete",
  path: "/v1/agencies/{id}/numbers/{number}",
  tags: ["Register"],
  summary: "Remove a recognised number from an agency",
  operationId: "removeAgencyNumber",
  description: `Removes one of an agency's recognised numbers: a call-back can no longer be completed to it. 404 for a number the agency does not have. ${USERS_ONLY}`,
  middleware: dmOnly,
  request: { params: NumberParams },
  responses: { 200: jsonResponse(AgencySchema, "The agency with its numbers"), ...errorResponses(404, 422) },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/agencies/{id}",
  tags: ["Register"],
  summary: "Change an agency's contact email",
  operationId: "patchAgency",
  description: `Sets (or, with null, clears) the email address the agency is told at when a plan whose conference it attended ends (seed 004 §47). ${USERS_ONLY}`,
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(AgencyPatch) },
  responses: { 200: jsonResponse(AgencySchema, "As it now stands"), ...errorResponses(404, 422) },
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
  .openapi(removeNumber, async (c) => {
    const { id, number } = c.req.valid("param");
    return c.json(await removeAgencyNumber(ctxOf(c), id, number), 200);
  })
  .openapi(patch, async (c) =>
    c.json(await setAgencyContactEmail(ctxOf(c), c.req.valid("param").id, c.req.valid("json").contactEmail), 200),
  )
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listAgencies(ctxOf(c), { after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (a) => a.id, c.req.url),
      200,
    );
  });
