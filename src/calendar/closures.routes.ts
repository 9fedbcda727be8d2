import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { CalendarDate } from "../lib/dates";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { listClosures, removeClosure, setClosure } from "./closures.service";

const ClosureSchema = z.object({ date: z.string(), reason: z.string() }).openapi("ClosureDay");
const Params = z.object({
  code: z.string().min(1).max(20).openapi({ param: { name: "code", in: "path" } }),
});
const DateParams = Params.extend({ date: CalendarDate.openapi({ param: { name: "date", in: "path" } }) });
const dmOnly = [requireRole("designated_manager")];

const list = createRoute({
  method: "get",
  path: "/v1/authorities/{code}/closure-days",
  tags: ["Register"],
  summary: "An authority's own closure days (not working days, besides weekends and bank holidays)",
  middleware: dmOnly,
  request: { params: Params },
  responses: { 200: jsonResponse(z.object({ items: z.array(ClosureSchema) }), "Closure days, earliest first"), ...errorResponses(404) },
});

const put = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/closure-days/{date}",
  tags: ["Register"],
  summary: "Add (or re-word) a closure day (audited)",
  middleware: dmOnly,
  request: { params: DateParams, body: jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(200) })) },
  responses: { 200: jsonResponse(ClosureSchema, "Changed"), 201: jsonResponse(ClosureSchema, "Added"), ...errorResponses(404, 422) },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/authorities/{code}/closure-days/{date}",
  tags: ["Register"],
  summary: "Remove a closure day (audited)",
  middleware: dmOnly,
  request: { params: DateParams },
  responses: { 204: { description: "Removed" }, ...errorResponses(404) },
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
