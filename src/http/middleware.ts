import type { Context, MiddlewareHandler } from "hono";
import type { Ctx } from "../domain/ctx";
import { AppError } from "../lib/errors";
import { hasRole, type Principal, type Role } from "../lib/principal";
import type { AppEnv } from "./app-env";
import { IdParam } from "./router";

/** Authenticates every request it guards; the principal is on the context from then on. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(header);
    if (!m?.[1]) throw new AppError("unauthenticated", "A bearer token is required (Authorization: Bearer <JWT>).");
    c.set("principal", await c.var.deps.verifyToken(m[1]));
    await next();
  };
}

/** Fails closed: a route guarded by this is refused (403) unless the principal holds one of the roles. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    if (!hasRole(p, ...roles)) throw new AppError("forbidden", `This needs the ${roles.map((r) => `\`${r}\``).join(" or ")} role.`);
    await next();
  };
}

/**
 * Names the record a route's `{id}` is about before any check runs, so that a refusal by role
 * (403) or of a malformed body (422) is audited against it, as a 404 from the service is. The
 * authority stays unknown: looking it up for a caller with no right to it would answer for it.
 */
export function refusalTargetFromId(type: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = IdParam.safeParse({ id: c.req.param("id") });
    if (id.success) c.set("refusalTarget", { type, id: id.data.id, authority: null });
    await next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get("principal");
  if (!p) throw new AppError("unauthenticated", "A bearer token is required.");
  return p;
}

/** The context a service verb runs in, taken from the request. */
export function ctxOf(c: Context<AppEnv>): Ctx {
  const { store, clock, config } = c.var.deps;
  return { store, clock, principal: principalOf(c), requestId: c.var.requestId, config };
}
