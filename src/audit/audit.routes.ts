import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../auth/middleware";
import { CalendarDate } from "../lib/dates";
import { decodeNumericCursor, page, PageQuery, toPage } from "../lib/pagination";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { endOf, listAudit, startOf } from "./audit.service";
import { checkAuditLog, issueCheckpoint } from "./checkpoints";
import { signerFor } from "./keys";

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

const Hash = z.string().regex(/^([0-9a-f]{64})?$/, "must be a row hash: 64 hex digits");
const CheckpointSchema = z
  .object({
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    hash: Hash,
    at: z.iso.datetime(),
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "must be an Ed25519 signature in base64url"),
  })
  .openapi("AuditCheckpoint", {
    description:
      "A signed statement of the log's length and tip. The signature is Ed25519 (GET /v1/audit/public-key) over the UTF-8 text `child-protection-register audit checkpoint v1\\n{seq}\\n{hash}\\n{at}`.",
  });
const Verification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    firstBrokenId: z.string().nullable(),
    checkpoints: z.array(z.object({ seq: z.number().int(), ok: z.boolean() })),
  })
  .openapi("AuditVerification");

const verify = createRoute({
  method: "get",
  path: "/v1/audit/verify",
  tags: ["Audit"],
  summary: "Walk the whole hash chain of the audit log and name the first broken row (auditor)",
  middleware: [requireRole("auditor")],
  responses: { 200: jsonResponse(Verification, "The result"), ...errorResponses() },
});

const verifyWith = createRoute({
  method: "post",
  path: "/v1/audit/verify",
  tags: ["Audit"],
  summary: "Walk the chain and check it against checkpoints received earlier (auditor)",
  middleware: [requireRole("auditor")],
  request: { body: jsonBody(z.strictObject({ checkpoints: z.array(CheckpointSchema).max(1000) })) },
  responses: { 200: jsonResponse(Verification, "The result: ok only if the chain holds and every checkpoint does"), ...errorResponses(422) },
});

const checkpoint = createRoute({
  method: "get",
  path: "/v1/audit/checkpoint",
  tags: ["Audit"],
  summary: "A signed checkpoint of the log as it stands, covering the entry of this request (auditor)",
  middleware: [requireRole("auditor")],
  responses: { 200: jsonResponse(CheckpointSchema, "The checkpoint"), ...errorResponses() },
});

const publicKey = createRoute({
  method: "get",
  path: "/v1/audit/public-key",
  tags: ["Audit"],
  summary: "The public key checkpoints are signed with, as a JWK (no token)",
  security: [],
  responses: {
    200: jsonResponse(
      z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string(), kid: z.string(), alg: z.literal("EdDSA"), use: z.literal("sig") }).openapi("AuditPublicKey"),
      "The key",
    ),
  },
});

export const auditRoutes = createRouter()
  .openapi(publicKey, (c) => c.json(signerFor(c.var.deps.config).publicJwk, 200))
  .openapi(checkpoint, async (c) => c.json(await issueCheckpoint(ctxOf(c), signerFor(c.var.deps.config)), 200))
  .openapi(verify, async (c) => c.json(await checkAuditLog(ctxOf(c), signerFor(c.var.deps.config), []), 200))
  .openapi(verifyWith, async (c) => c.json(await checkAuditLog(ctxOf(c), signerFor(c.var.deps.config), c.req.valid("json").checkpoints), 200))
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
