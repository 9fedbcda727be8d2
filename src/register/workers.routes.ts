import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { decodeCursor, page, PageQuery, toPage } from "../lib/pagination";
import { PhoneNumber } from "../lib/phone";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { createWorker, listWorkers } from "./workers.service";

const WorkerCreate = z
  .strictObject({
    authority: z.string().min(1).max(20).openapi({ example: "STAFFS" }),
    name: z.string().trim().min(1).max(200).openapi({ example: "Sam Patel" }),
    team: z.string().trim().max(200).nullish(),
    phone: PhoneNumber.nullish(),
    email: z.email().max(320).nullish(),
    userId: z.string().min(1).max(200).nullish().openapi({ description: "The `sub` of this worker's login" }),
    externalId: z.string().min(1).max(100).nullish().openapi({ description: "The worker's id in the case system" }),
  })
  .openapi("WorkerCreate");

export const WorkerSchema = z
  .object({
    id: z.string(),
    authority: z.string(),
    externalId: z.string().nullable(),
    name: z.string(),
    team: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    userId: z.string().nullable(),
  })
  .openapi("Worker");

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/workers",
  tags: ["Register"],
  summary: "Record a key worker",
  middleware: dmOnly,
  request: { body: jsonBody(WorkerCreate) },
  responses: { 201: jsonResponse(WorkerSchema, "Created"), ...errorResponses(409, 422) },
});

const list = createRoute({
  method: "get",
  path: "/v1/workers",
  tags: ["Register"],
  summary: "Workers of your authorities",
  middleware: dmOnly,
  request: { query: PageQuery.extend({ authority: z.string().max(20).optional() }) },
  responses: { 200: jsonResponse(page(WorkerSchema), "Workers"), ...errorResponses() },
});

export const workerRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createWorker(ctxOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listWorkers(ctxOf(c), { authority: q.authority, after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(toPage(rows, q.limit, (w) => w.id, c.req.url), 200);
  });
