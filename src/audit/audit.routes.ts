import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonBody, jsonResponse, publicErrorResponses, RequestId } from "../http/router";
import { CalendarDate } from "../lib/dates";
import { AuthorityCodeOut, enumOut, InstantOut, MAX, Text, UserIdOut } from "../lib/fields";
import { decodeNumericCursor, PageQuery, page, toPage } from "../lib/pagination";
import { ROLES } from "../lib/principal";
import { endOf, listAudit, startOf } from "./audit.service";
import { checkAuditLog, issueCheckpoint } from "./checkpoints";
import { signerFor } from "./keys";

const Instant = z.union([CalendarDate, z.iso.datetime().max(40).openapi({ maxLength: 40 })]);

const AuditEntrySchema = z
  .object({
    id: Text(20).openapi({ pattern: "^\\d{1,15}$", description: "The entry's sequence number in the chain" }),
    at: InstantOut,
    userId: UserIdOut.nullable(),
    roles: z.array(enumOut(ROLES)).max(ROLES.length),
    action: Text(200).openapi({ example: "child.read" }),
    target: z
      .object({ type: Text(50), id: Text(MAX.id).nullable().openapi({ description: "A record's id, an authority's code or a date" }) })
      .nullable(),
    authority: AuthorityCodeOut.nullable(),
    requestId: RequestId.nullable(),
    outcome: Text(100).openapi({ example: "ok" }),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEntry");

const list = createRoute({
  method: "get",
  path: "/v1/audit",
  tags: ["Audit"],
  summary: "The access log, newest first (auditor)",
  operationId: "listAudit",
  description:
    "The access log of your authorities, newest first, a page at a time: who did what to which record, when, and with what outcome (every refusal included; a flood of refusals with no login is kept as one entry a minute per address and route, with the count held back). Filter by `userId`, `childId` and a period (`from`, `to`: a date or an instant). The list is itself audited. Auditors only.",
  middleware: [requireRole("auditor")],
  request: {
    query: PageQuery.extend({
      userId: z.string().max(MAX.userId).optional(),
      childId: z.string().max(MAX.id).optional(),
      from: Instant.optional(),
      to: Instant.optional(),
    }),
  },
  responses: { 200: jsonResponse(page(AuditEntrySchema), "Audit entries"), ...errorResponses() },
});

/**
 * The newest checkpoint an auditor holds is the one that matters (the keyed chain binds every
 * row before it); a hundred covers any set kept to hand, at a signature check each.
 */
const MAX_CHECKPOINTS = 100;

const Hash = z
  .string()
  .max(64)
  .regex(/^([0-9a-f]{64})?$/, "must be a row hash: 64 hex digits");
const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ format: "int64" });
const CheckpointSchema = z
  .object({
    seq: Seq,
    hash: Hash,
    at: z.iso.datetime().max(40).openapi({ maxLength: 40 }),
    // 64 bytes in unpadded base64url: the last character carries 2 bits, so only A, Q, g or w
    // (anything else decodes to the same bytes, and one signature would have 16 spellings).
    signature: z
      .string()
      .max(86)
      .regex(/^[A-Za-z0-9_-]{85}[AQgw]$/, "must be an Ed25519 signature in base64url"),
  })
  .openapi("AuditCheckpoint", {
    description:
      "A signed statement of the log's length and tip. The signature is Ed25519 (GET /v1/audit/public-key) over the UTF-8 text `child-protection-register audit checkpoint v1\\n{seq}\\n{hash}\\n{at}`.",
  });
const Verification = z
  .object({
    ok: z.boolean(),
    checked: Seq,
    firstBrokenId: Text(20).nullable().openapi({ pattern: "^\\d{1,15}$" }),
    checkpoints: z.array(z.object({ seq: Seq, ok: z.boolean() })).max(MAX_CHECKPOINTS),
  })
  .openapi("AuditVerification");

const verify = createRoute({
  method: "get",
  path: "/v1/audit/verify",
  tags: ["Audit"],
  summary: "Walk the whole hash chain of the audit log and name the first broken row (auditor)",
  operationId: "verifyAuditChain",
  description:
    "Recomputes every entry's keyed hash from its content and the previous entry's hash, and checks that `seq` has no gap and that the log still holds every checkpoint the service has issued: `ok` when all of that holds, else the id of the first entry that was changed, removed or inserted. Auditors only.",
  middleware: [requireRole("auditor")],
  responses: { 200: jsonResponse(Verification, "The result"), ...errorResponses() },
});

const verifyWith = createRoute({
  method: "post",
  path: "/v1/audit/verify",
  tags: ["Audit"],
  summary: "Walk the chain and check it against checkpoints received earlier (auditor)",
  operationId: "verifyAuditChainAgainstCheckpoints",
  description:
    "As GET, and each checkpoint given (from GET /v1/audit/checkpoint or an authority's webhook) is checked: its signature must be the service's and the log must still hold its `(seq, hash)`. A log cut short of a checkpoint, or holding another hash at its seq, is `ok: false` for that checkpoint and for the whole answer. Auditors only.",
  middleware: [requireRole("auditor")],
  request: { body: jsonBody(z.strictObject({ checkpoints: z.array(CheckpointSchema).max(MAX_CHECKPOINTS) })) },
  responses: {
    200: jsonResponse(Verification, "The result: ok only if the chain holds and every checkpoint does"),
    ...errorResponses(422),
  },
});

const checkpoint = createRoute({
  method: "get",
  path: "/v1/audit/checkpoint",
  tags: ["Audit"],
  summary: "A signed checkpoint of the log as it stands, covering the entry of this request (auditor)",
  operationId: "getAuditCheckpoint",
  description:
    "Signs the log's length and tip (`seq`, `hash`) with the service's Ed25519 key. Keep it: presented later to POST /v1/audit/verify it shows whether the log still holds what it held. The entry recording this request is written first, so the checkpoint covers it. Auditors only.",
  middleware: [requireRole("auditor")],
  responses: { 200: jsonResponse(CheckpointSchema, "The checkpoint"), ...errorResponses() },
});

const publicKey = createRoute({
  method: "get",
  path: "/v1/audit/public-key",
  tags: ["Audit"],
  summary: "The public key checkpoints are signed with, as a JWK (no token)",
  operationId: "getAuditPublicKey",
  description: "The Ed25519 public key (RFC 8037 JWK) that checks a checkpoint's signature, for anyone holding a copy. Needs no token.",
  security: [],
  responses: {
    200: jsonResponse(
      z
        .object({
          kty: z.literal("OKP"),
          crv: z.literal("Ed25519"),
          x: Text(43).openapi({ pattern: "^[A-Za-z0-9_-]{43}$" }),
          kid: Text(16).openapi({ pattern: "^[0-9a-f]{16}$" }),
          alg: z.literal("EdDSA"),
          use: z.literal("sig"),
        })
        .openapi("AuditPublicKey"),
      "The key",
    ),
    ...publicErrorResponses(),
  },
});

export const auditRoutes = createRouter()
  .openapi(publicKey, (c) => c.json(signerFor(c.var.deps.config).publicJwk, 200))
  .openapi(checkpoint, async (c) => c.json(await issueCheckpoint(ctxOf(c)), 200))
  .openapi(verify, async (c) => c.json(await checkAuditLog(ctxOf(c), []), 200))
  .openapi(verifyWith, async (c) => c.json(await checkAuditLog(ctxOf(c), c.req.valid("json").checkpoints), 200))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const ctx = ctxOf(c);
    const before = decodeNumericCursor(q.cursor);
    const rows = await listAudit(
      ctx,
      {
        ...(q.userId ? { userId: q.userId } : {}),
        ...(q.childId ? { childId: q.childId } : {}),
        ...(q.from ? { from: startOf(q.from) } : {}),
        ...(q.to ? { to: endOf(q.to) } : {}),
        ...(before !== undefined ? { before } : {}),
        limit: q.limit,
      },
      { query: { ...q, cursor: undefined } },
    );
    return c.json(
      toPage(rows, q.limit, (r) => r.id, c.req.url),
      200,
    );
  });
