import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { Ctx } from "../domain/ctx";
import type { AppEnv } from "../http/app-env";
import { ctxOf } from "../http/middleware";
import { AppError } from "../lib/errors";
import { hasRole, type Role } from "../lib/principal";
import { loadSession, sameToken, type WebSession } from "./session";

/** Paths served as pages (HTML errors, refusals audited when signed in); the rest is the API or plumbing. */
export const isPagePath = (path: string) => !/^\/(v1\/|healthz$|readyz$|openapi\.json$|assets\/)/.test(path);

/** A page path asked for by a browser (which always accepts HTML): errors go back as pages; any other client gets problem+json. */
export const wantsPage = (c: Context<AppEnv>) => isPagePath(c.req.path) && /text\/html/.test(c.req.header("accept") ?? "");

export const render = (c: Context<AppEnv>, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503 = 200) =>
  c.html(html`<!DOCTYPE html>${body}`, status);

export type Form = Record<string, string | File | (string | File)[]>;

/** Whether a posted form carries the expected CSRF token (compared in constant time). */
export const carriesToken = (form: Form, expected: string) => sameToken(typeof form._csrf === "string" ? form._csrf : "", expected);

async function signedIn(c: Context<AppEnv>, roles: Role[], opts: { touch?: boolean } = {}): Promise<WebSession | null> {
  const s = await loadSession(c, opts);
  if (!s) return null;
  c.set("session", s);
  c.set("principal", s.principal);
  if (roles.length && !hasRole(s.principal, ...roles)) throw new AppError("forbidden", "Your account does not give you this desk.");
  return s;
}

type PageHandler = (c: Context<AppEnv>, s: WebSession, ctx: Ctx) => Promise<Response> | Response;
type ActionHandler = (c: Context<AppEnv>, s: WebSession, ctx: Ctx, form: Form) => Promise<Response> | Response;

/**
 * A page for the given roles (any signed-in user when none are given). Signed out, a GET goes
 * to the start page. `background: true` for what a page fetches by itself (it does not keep
 * the session from idling out).
 */
export const page =
  (roles: Role[], handler: PageHandler, opts: { background?: boolean } = {}) =>
  async (c: Context<AppEnv>): Promise<Response> => {
    const s = await signedIn(c, roles, { touch: !opts.background });
    if (!s) return c.redirect("/", 303);
    // The session's principal is on the context, so the verbs get the same Ctx as the API's.
    return handler(c, s, ctxOf(c));
  };

/**
 * A form post for the given roles: refused unless it carries this session's CSRF token, so
 * another site cannot make a signed-in browser act.
 */
export const action =
  (roles: Role[], handler: ActionHandler) =>
  async (c: Context<AppEnv>): Promise<Response> => {
    const s = await signedIn(c, roles);
    if (!s) throw new AppError("unauthenticated", "Your session has ended. Sign in again, then repeat what you were doing.");
    const form = (await c.req.parseBody({ all: true })) as Form;
    if (!carriesToken(form, s.csrf))
      throw new AppError("forbidden", "This form has expired or did not come from this service. Go back, reload the page and try again.");
    return handler(c, s, ctxOf(c), form);
  };

/** One text field of a posted form, trimmed; absent and blank are both null. */
export function field(form: Form, name: string): string | null {
  const v = form[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== "string") return null;
  const t = s.trim();
  return t === "" ? null : t;
}

export function fields(form: Form, name: string): string[] {
  const v = form[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === "string" && x.trim() !== "").map((x) => x.trim());
}
