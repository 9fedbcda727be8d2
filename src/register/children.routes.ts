import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonBody, jsonResponse, rateLimitHeaders } from "../http/router";
import { CalendarDate } from "../lib/dates";
import { MAX } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { ChildCreate, ChildOnPlanSchema, ChildPatch, ChildRecordSchema, ChildSummarySchema } from "./children.schemas";
import { createChild, getChild, patchChild, searchChildren } from "./children.service";
import { checkOnPlanQuery, childrenOnPlanCsv, listChildrenOnPlan, ON_PLAN_VALUES } from "./on-plan.service";

const dmOnly = [requireRole("designated_manager")];

const create = createRoute({
  method: "post",
  path: "/v1/children",
  tags: ["Register"],
  summary: "Put a child on the register",
  operationId: "createChild",
  description:
    "Puts a child on one of your authorities' registers with names, aliases, date of birth (or expected date of delivery), sex, NHS number, addresses and the household note enquirers may be told. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { body: jsonBody(ChildCreate) },
  responses: { 201: jsonResponse(ChildRecordSchema, "The child's whole record"), ...errorResponses(409, 413, 422) },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/children/{id}",
  tags: ["Register"],
  summary: "Change a child's details (aliases and addresses given here replace the recorded ones)",
  operationId: "patchChild",
  description:
    "Changes the fields given of a child's record; `aliases` and `addresses`, when given, replace the recorded lists whole. Audited. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam, body: jsonBody(ChildPatch) },
  responses: { 200: jsonResponse(ChildRecordSchema, "The record as it now stands"), ...errorResponses(404, 409, 413, 422) },
});

const get = createRoute({
  method: "get",
  path: "/v1/children/{id}",
  tags: ["Register"],
  summary: "A child's whole record (every read is audited)",
  operationId: "getChild",
  description:
    "The child's whole record: details, addresses, cases with key workers, plans with their category history, conferences, moves in and out. Every read is audited; another authority's child is 404. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(ChildRecordSchema, "The whole record"), ...errorResponses(404) },
});

const search = createRoute({
  method: "get",
  path: "/v1/children",
  tags: ["Register"],
  summary: "Search your authorities' children by name and date of birth, or list those on a plan (onPlan=current)",
  operationId: "searchChildren",
  description:
    "Finds children of your authorities by name (`q`, folded and fuzzy as the matcher does) and/or date of birth, a page at a time, oldest record first. With `onPlan=current` instead (seed 001 7.12.2), lists every child of your authorities on a plan now, those moved in on another authority's plan (`temporary`) included, by family name, then given names, then id; `Accept: text/csv` gives the whole list as CSV with a header row. `onPlan` with `q` or `dateOfBirth`, or another value of `onPlan`, is 422. Every search and list is audited with the children it showed. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: {
    query: PageQuery.extend({
      q: z.string().trim().min(1).max(MAX.name).optional().openapi({ example: "amy smith" }),
      dateOfBirth: CalendarDate.optional(),
      authority: z.string().max(MAX.authority).optional(),
      // Checked by checkOnPlanQuery, so that a value it does not know is 422 naming it.
      onPlan: z
        .string()
        .max(20)
        .optional()
        .openapi({ enum: [...ON_PLAN_VALUES], description: "`current`: the children on a plan now, instead of a search" }),
    }).refine((q) => q.q || q.dateOfBirth || q.onPlan !== undefined, { path: ["q"], message: "give q (a name) or dateOfBirth" }),
  },
  responses: {
    200: {
      description: "Children found (oldest record first), or on a plan (by name)",
      headers: rateLimitHeaders,
      content: {
        "application/json": { schema: z.union([page(ChildSummarySchema), page(ChildOnPlanSchema)]) },
        // One line a child on a plan (onPlan=current only), after the header row.
        "text/csv": {
          schema: z.string().max(200_000_000).openapi({
            example:
              "id,authority,name,dateOfBirth,expectedDateOfDelivery,categories,startDate,temporary,keyWorkerId,keyWorkerName,keyWorkerPhone\r\n",
          }),
        },
      },
    },
    ...errorResponses(422),
  },
});

export const childRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createChild(ctxOf(c), c.req.valid("json")), 201))
  .openapi(patch, async (c) => c.json(await patchChild(ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(get, async (c) => c.json(await getChild(ctxOf(c), c.req.valid("param").id), 200))
  .openapi(search, async (c) => {
    const q = c.req.valid("query");
    if (q.onPlan !== undefined) {
      checkOnPlanQuery({ onPlan: q.onPlan, q: q.q, dateOfBirth: q.dateOfBirth });
      if (/\btext\/csv\b/.test(c.req.header("accept") ?? "")) {
        const csv = await childrenOnPlanCsv(ctxOf(c), { authority: q.authority });
        return c.body(csv.body, 200, csv.headers);
      }
      const rows = await listChildrenOnPlan(ctxOf(c), { authority: q.authority, after: decodeCursor(q.cursor), limit: q.limit });
      return c.json(
        toPage(rows, q.limit, (r) => r.id, c.req.url),
        200,
      );
    }
    const rows = await searchChildren(ctxOf(c), {
      q: q.q,
      dateOfBirth: q.dateOfBirth,
      authority: q.authority,
      after: decodeCursor(q.cursor),
      limit: q.limit,
    });
    return c.json(
      toPage(rows, q.limit, (r) => r.id, c.req.url),
      200,
    );
  });
