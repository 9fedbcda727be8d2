import type { ZodError } from "zod";
/**
 * One error type for the whole service. Verbs throw these; one funnel (`toProblem`) turns
 * them into RFC 9457 problem+json, so no handler shapes an error of its own.
 */
export type ErrorCode =
  | "malformed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media"
  | "invalid"
  | "rate_limited"
  | "unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  malformed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

const TITLE: Record<ErrorCode, string> = {
  malformed: "Malformed request",
  unauthenticated: "Not authenticated",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Conflict with the current state",
  too_large: "Request body too large",
  unsupported_media: "Unsupported media type",
  invalid: "The request breaks a rule",
  rate_limited: "Too many requests",
  unavailable: "Service unavailable",
  internal: "Internal error",
};

export interface FieldError {
  path: string;
  message: string;
}

/** What an error was about, so that a refusal can be written to the audit log with its target. */
export interface Target {
  type: string;
  id: string | null;
  /** The authority the target belongs to, so that its auditors see attempts on it. */
  authority?: string | null;
}

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: {
      errors?: FieldError[];
      target?: Target;
      retryAfterSeconds?: number;
      auditDetail?: Record<string, unknown>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what: string, target?: Target) => new AppError("not_found", `${what} was not found.`, target ? { target } : {});
export const conflict = (detail: string, target?: Target) => new AppError("conflict", detail, target ? { target } : {});
export const invalid = (detail: string, errors: FieldError[] = []) => new AppError("invalid", detail, { errors });

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
}

export function toProblem(err: AppError, requestId?: string): Problem {
  return {
    type: `https://register.invalid/problems/${err.code}`,
    title: TITLE[err.code],
    status: err.status,
    detail: err.detail,
    ...(err.options.errors?.length ? { errors: err.options.errors } : {}),
    ...err.options.extra,
    ...(requestId ? { requestId } : {}),
  };
}

export function problemHeaders(err: AppError): Record<string, string> {
  return {
    "content-type": "application/problem+json",
    ...(err.code === "unauthenticated" ? { "www-authenticate": 'Bearer error="invalid_token"' } : {}),
    ...(err.options.retryAfterSeconds !== undefined ? { "retry-after": String(err.options.retryAfterSeconds) } : {}),
  };
}

/** For answers outside a Hono context (a Worker that could not be configured). */
export function problemResponse(err: AppError, requestId?: string): Response {
  return new Response(JSON.stringify(toProblem(err, requestId)), { status: err.status, headers: problemHeaders(err) });
}

/** A zod failure as the fields it names, the shape every 422 gives. */
export function fieldErrors(error: ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join(".") || "(body)",
    message: i.message,
  }));
}
