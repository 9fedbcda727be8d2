import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import { AppError, fieldErrors } from "../lib/errors";
import { findForbiddenText } from "../lib/text";
import type { AppEnv } from "./app-env";

/**
 * Every router is made here, so that none can forget the validation hook: a body that
 * fails its schema is 422 with each failing field's path; a bad query or path is 400.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    defaultHook: async (result, c) => {
      if (result.success) {
        // The one rule no schema spells out, checked on the body as sent (before trimming and
        // normalising could hide a control character) and after the role checks.
        const bad = result.target === "json" ? findForbiddenText(await c.req.json()) : null;
        if (bad) throw new AppError("invalid", "The request body is not valid: see errors.", { errors: [bad] });
        return;
      }
      const errors = fieldErrors(result.error);
      if (result.target === "json") throw new AppError("invalid", "The request body is not valid: see errors.", { errors });
      throw new AppError("malformed", `The request ${result.target} is not valid: see errors.`, { errors });
    },
  });
  registerHeaders(router);
  return router;
}

/** The request's id: the client's `X-Request-Id` if it sent a usable one (hono's requestId: at most 255 of `[A-Za-z0-9_=-]`), else a UUID. */
export const RequestId = z.string().max(255).openapi({
  pattern: "^[A-Za-z0-9_=-]{1,255}$",
  description: "The request's id (also the `X-Request-Id` header): quote it when reporting a problem",
});

export const ProblemSchema = z
  .object({
    type: z.string().max(200).openapi({ format: "uri", example: "https://register.invalid/problems/invalid" }),
    title: z.string().max(200),
    status: z.number().int().min(400).max(599).openapi({ format: "int32" }),
    detail: z.string().max(8000),
    errors: z
      .array(z.object({ path: z.string().max(1000).openapi({ example: "child.dateOfBirth" }), message: z.string().max(8000) }))
      .max(1000)
      .optional()
      .openapi({ description: "Each failing field: its path in the request and what is wrong with it" }),
    requestId: RequestId.optional(),
  })
  .openapi("Problem");

/*
 * Rate limits. Every /v1 request counts against a per-login and a per-client-address limit
 * (POST /v1/enquiries also against the enquiry limit of api.md), and every 2XX and 4XX answer
 * says where the caller stands, as draft-ietf-httpapi-ratelimit-headers (draft 7) spells it.
 * The headers are documented once, as components, and referred to from each response.
 */
const RATE_LIMIT_HEADERS = {
  RateLimit: {
    description:
      "Where this caller stands against the tightest limit that applies, after this request: `limit` requests allowed in the window, `remaining` of them left, `reset` seconds until the window ends (draft-ietf-httpapi-ratelimit-headers, draft 7).",
    required: false,
    schema: {
      type: "string",
      maxLength: 200,
      pattern: "^limit=\\d{1,10}, remaining=\\d{1,10}, reset=\\d{1,10}$",
      example: "limit=600, remaining=599, reset=60",
    },
  },
  "RateLimit-Policy": {
    description:
      "The limits that apply to this request: `quota;w=window seconds`, one for each, comma-separated (draft-ietf-httpapi-ratelimit-headers, draft 7).",
    required: false,
    schema: { type: "string", maxLength: 200, pattern: "^\\d{1,10};w=\\d{1,10}(, ?\\d{1,10};w=\\d{1,10})*$", example: "600;w=60" },
  },
  "Retry-After": {
    description: "Seconds to wait before asking again (RFC 9110 §10.2.3).",
    required: false,
    schema: { type: "integer", format: "int32", minimum: 0, maximum: 2147483647, example: 60 },
  },
} as const;
type HeaderName = keyof typeof RATE_LIMIT_HEADERS;
const headerRef = (name: HeaderName) => ({ $ref: `#/components/headers/${name}` });
/** The headers every 2XX and 4XX answer of /v1 carries. */
export const rateLimitHeaders = { RateLimit: headerRef("RateLimit"), "RateLimit-Policy": headerRef("RateLimit-Policy") };
const retryHeaders = { ...rateLimitHeaders, "Retry-After": headerRef("Retry-After") };

const problem = (status: ErrorStatus) => ({
  description: ERROR_DESCRIPTIONS[status],
  headers:
    status === 429
      ? retryHeaders
      : status === 503
        ? { "Retry-After": headerRef("Retry-After") }
        : status < 500
          ? rateLimitHeaders
          : undefined,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

const ERROR_DESCRIPTIONS = {
  400: "Malformed JSON, or a bad query or path parameter",
  401: "No token, or a token that does not verify",
  403: "Authenticated, but the role or profession is not allowed",
  404: "Not found (also for another user's or authority's resource)",
  409: "Conflict with the current state",
  413: "Request body too large",
  415: "The body is not JSON",
  422: "Valid JSON that breaks a rule (each failing field is named in `errors`)",
  429: "Rate limited: too many requests from this login or address (or too many enquiries); `Retry-After` says when to ask again",
  500: "Something went wrong on the service's side (the detail quotes the request id)",
  503: "The service cannot serve or record the request right now (the database is unreachable, or a refusal could not be audited); `Retry-After` may say when to try again",
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** What every /v1 route can answer: a bad request, no token, too many requests, and our own failures. */
const ALWAYS: ErrorStatus[] = [400, 401, 429, 500, 503];

/**
 * The error responses a route can give, for its OpenAPI entry: those every route can give, 403
 * (a role is required), and `codes`.
 */
export function errorResponses(...codes: ErrorStatus[]) {
  return responsesFor([...ALWAYS, 403, ...codes]);
}

/** As `errorResponses`, for a route any signed-in user may call (no role, so no 403). */
export function signedInErrorResponses(...codes: ErrorStatus[]) {
  return responsesFor([...ALWAYS, ...codes]);
}

/** For the one route that needs no token (the audit log's public key): limited per address, so 429; nothing to refuse else. */
export function publicErrorResponses() {
  return responsesFor([429, 500, 503]);
}

function responsesFor(codes: ErrorStatus[]) {
  const all = [...new Set(codes)].sort((a, b) => a - b);
  return Object.fromEntries(all.map((c) => [c, problem(c)])) as Record<ErrorStatus, ReturnType<typeof problem>>;
}

/** Registers the headers the responses refer to; every router does, so any of them alone documents them. */
function registerHeaders(router: OpenAPIHono<AppEnv>) {
  for (const [name, header] of Object.entries(RATE_LIMIT_HEADERS)) router.openAPIRegistry.registerComponent("headers", name, header);
}

export const jsonBody = <T extends z.ZodType>(schema: T, description = "The request, as JSON") => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: rateLimitHeaders,
  content: { "application/json": { schema } },
});

/** A 2XX answer without a body (204). */
export const emptyResponse = (description: string) => ({ description, headers: rateLimitHeaders });

/** An opaque id as the service hands them out (a UUID for what it creates; imported ids are kept as given). */
export const Id = z.string().min(1).max(100);
export const IdParam = z.object({ id: Id.openapi({ param: { name: "id", in: "path" }, example: "0192f6a4-7c1e-7c3a-9d2b-5e8f4a1b2c3d" }) });

/**
 * A 200 whose JSON body is already written (a page assembled from items SQLite serialised), sent
 * as it is. The caller vouches that the text has the route's response shape; the test of that
 * route parses it against the schema.
 */
export const jsonText = <T>(c: Context, text: string): Response & TypedResponse<T, 200, "json"> =>
  // Through the context, so the headers the middleware has set (request id, security headers) are on it.
  c.newResponse(text, 200, { "content-type": "application/json" }) as Response & TypedResponse<T, 200, "json">;
