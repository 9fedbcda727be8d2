import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../http/router";
import { AuthorityCodeOut, ExternalIdOut, IdOut, MAX, NameOut, PhoneOut, Text, UserIdOut } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { PhoneNumber } from "../lib/phone";
import { createWorker, listWorkers } from "./workers.service";

const WorkerCreate = z
  .strictObject({
    authority: z.string().min(1).max(MAX.authority).openapi({ example: "STAFFS" }),
    name: z.string().trim().min(1).max(MAX.name).openapi({ example: "Sam Patel" }),
    team: z.string().trim().max(MAX.name).nullish(),
    phone: PhoneNumber.nullish(),
    email: z.email().max(320).nullish(),
    userId: z.string().min(1).max(MAX.userId).nullish().openapi({ description: "The `sub` of this worker's login" }),
    externalId: z.string().min(1).max(MAX.id).nullish().openapi({ description: "The worker's id in the case system" }),
  })
  .openapi("WorkerCreate");

export const WorkerSchema = z
  .object({
    id: IdOut,
    authority: AuthorityCodeOut,
    externalId: ExternalIdOut.nullable(),
    name: NameOut,
    team: NameOut.nullable(),
    phone: PhoneOut.nullable(),
    email: Text(320).nullable().openapi({ format: "email" }),
    userId: UserIdOut.nullable(),
  })
  .openapi("Worker");

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/workers",
  tags: ["Register"],
  summary: "Record a key worker",
  operationId: "createWorker",
  description:
    "Records a key worker of one of your authorities, with the number and email their notifications and the enquiry answers use, and the `sub` of their login. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { body: jsonBody(WorkerCreate) },
  responses: { 201: jsonResponse(WorkerSchema, "Created"), ...errorResponses(409, 422) },
});

const list = createRoute({
  method: "get",
  path: "/v1/workers",
  tags: ["Register"],
  summary: "Workers of your authorities",
  operationId: "listWorkers",
  description:
    "The key workers of your authorities (or of one, with `authority`), a page at a time. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { query: PageQuery.extend({ authority: z.string().max(MAX.authority).optional() }) },
  responses: { 200: jsonResponse(page(WorkerSchema), "Workers"), ...errorResponses() },
});

export const workerRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createWorker(ctxOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listWorkers(ctxOf(c), { authority: q.authority, after: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (w) => w.id, c.req.url),
      200,
    );
  });
