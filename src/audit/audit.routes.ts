import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { CalendarDate } from "../lib/dates";
import { decodeNumericCursor, page, PageQuery, toPage } from "../lib/pagination";
import { createRouter, errorResponses, jsonResponse } from "../lib/router";
import { checkAuditChain, endOf, listAudit, startOf } from "./audit.service";

const Instant = z.union([CalendarDate, z.iso.datetime()]);

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    userId: z.string().nullable(),
    roles: z.array(z.string()),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
    authority: z.string().nullable(),
    requestId: z.string().nullable(),
    outcome: z.string(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEntry");

const list = createRoute({
  method: "get",
  path: "/v1/audit",
  tags: ["Audit"],
  summary: "The access log, newest first (auditor)",
  middleware: [requireRole("auditor")],
  request: {
    query: PageQuery.extend({
      userId: z.string().max(200).optional(),
      childId: z.string().max(100).optional(),
      from: Instant.optional(),
      to: Instant.optional(),
    }),
  },
  responses: { 200: jsonResponse(page(AuditEntrySchema), "Audit entries"), ...errorResponses() },
});

const verify = createRoute({
  method: "get",
  path: "/v1/audit/verify",
  tags: ["Audit"],
  summary: "Walk the whole hash chain of the audit log and name the first broken row (auditor)",
  middleware: [requireRole("auditor")],
  responses: {
    200: jsonResponse(z.object({ ok: z.boolean(), checked: z.number().int(), firstBrokenId: z.string().nullable() }).openapi("AuditVerification"), "The result"),
    ...errorResponses(),
  },
});

export const auditRoutes = createRouter()
  .openapi(verify, async (c) => {
    return c.json(await checkAuditChain(ctxOf(c)), 200);
  })
  .openapi(list, async (c) => {
  const q = c.req.valid("query");
  const ctx = ctxOf(c);
  const before = decodeNumericCursor(q.cursor);
  const rows = await listAudit(ctx, {
    ...(q.userId ? { userId: q.userId } : {}),
    ...(q.childId ? { childId: q.childId } : {}),
    ...(q.from ? { from: startOf(q.from) } : {}),
    ...(q.to ? { to: endOf(q.to) } : {}),
    ...(before !== undefined ? { before } : {}),
    limit: q.limit,
  }, { query: { ...q, cursor: undefined } });
  return c.json(toPage(rows, q.limit, (r) => r.id, c.req.url), 200);
});
