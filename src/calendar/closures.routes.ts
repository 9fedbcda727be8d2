import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, emptyResponse, errorResponses, jsonBody, jsonResponse } from "../http/router";
import { CalendarDate } from "../lib/dates";
import { DateOut, MAX, Text } from "../lib/fields";
import { listClosures, removeClosure, setClosure } from "./closures.service";

const ClosureSchema = z.object({ date: DateOut, reason: Text(200) }).openapi("ClosureDay");
/** Documented ceiling of an authority's closure days: a few a year, kept for years. */
const MAX_CLOSURE_DAYS = 5000;
const Params = z.object({
  code: z
    .string()
    .min(1)
    .max(MAX.authority)
    .openapi({ param: { name: "code", in: "path" } }),
});
const DateParams = Params.extend({ date: CalendarDate.openapi({ param: { name: "date", in: "path" } }) });
const dmOnly = [requireRole("designated_manager")];

const list = createRoute({
  method: "get",
  path: "/v1/authorities/{code}/closure-days",
  tags: ["Register"],
  summary: "An authority's own closure days (not working days, besides weekends and bank holidays)",
  operationId: "listClosureDays",
  description:
    "An authority's own closure days, earliest first: days that are neither working days (deadlines skip them) nor office hours, besides weekends and bank holidays. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params },
  responses: {
    200: jsonResponse(z.object({ items: z.array(ClosureSchema).max(MAX_CLOSURE_DAYS) }), "Closure days, earliest first"),
    ...errorResponses(404),
  },
});

const put = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/closure-days/{date}",
  tags: ["Register"],
  summary: "Add (or re-word) a closure day (audited)",
  operationId: "setClosureDay",
  description:
    "Adds a closure day (201) or changes its reason (200). Audited. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: DateParams, body: jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(200) })) },
  responses: { 200: jsonResponse(ClosureSchema, "Changed"), 201: jsonResponse(ClosureSchema, "Added"), ...errorResponses(404, 422) },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/authorities/{code}/closure-days/{date}",
  tags: ["Register"],
  summary: "Remove a closure day (audited)",
  operationId: "removeClosureDay",
  description:
    "Removes a closure day: it counts as a working day again. Audited. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: DateParams },
  responses: { 204: emptyResponse("Removed"), ...errorResponses(404) },
});

export const closureRoutes = createRouter()
  .openapi(list, async (c) => c.json({ items: await listClosures(ctxOf(c), c.req.valid("param").code) }, 200))
  .openapi(put, async (c) => {
    const { code, date } = c.req.valid("param");
    const r = await setClosure(ctxOf(c), code, date, c.req.valid("json").reason);
    return r.created ? c.json(r.closure, 201) : c.json(r.closure, 200);
  })
  .openapi(remove, async (c) => {
    const { code, date } = c.req.valid("param");
    await removeClosure(ctxOf(c), code, date);
    return c.body(null, 204);
  });
