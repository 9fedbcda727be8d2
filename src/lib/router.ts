import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "../app-env";
import { AppError, type FieldError } from "./errors";
import { findForbiddenText } from "./text";

export function fieldErrors(error: ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join(".") || "(body)",
    message: i.message,
  }));
}

/**
 * Every router is made here, so that none can forget the validation hook: a body that
 * fails its schema is 422 with each failing field's path; a bad query or path is 400.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: async (result, c) => {
      if (result.success) {
        // The one rule no schema spells out, checked on the body as sent (before trimming and
        // normalising could hide a control character) and after the role checks.
        const bad = result.target === "json" ? findForbiddenText(await c.req.json()) : null;
        if (bad) throw new AppError("invalid", "The request body is not valid: see errors.", { errors: [bad] });
        return;
      }
      const errors = fieldErrors(result.error);
      if (result.target === "json")
        throw new AppError("invalid", "The request body is not valid: see errors.", { errors });
      throw new AppError("malformed", `The request ${result.target} is not valid: see errors.`, { errors });
    },
  });
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
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
  422: "Valid JSON that breaks a rule",
  429: "Rate limited",
} as const;

/** The error responses a route can give, for its OpenAPI entry. */
export function errorResponses(...codes: (keyof typeof ERROR_DESCRIPTIONS)[]) {
  const all = new Set<keyof typeof ERROR_DESCRIPTIONS>([400, 401, 403, ...codes]);
  return Object.fromEntries([...all].map((c) => [c, problem(ERROR_DESCRIPTIONS[c])])) as Record<
    keyof typeof ERROR_DESCRIPTIONS,
    ReturnType<typeof problem>
  >;
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" } }) });
