import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { alertRoutes } from "./alerts/alerts.routes";
import { auditRoutes } from "./audit/audit.routes";
import { appendAudit } from "./audit/audit.service";
import { createLimits } from "./auth/limits";
import { closureRoutes } from "./calendar/closures.routes";
import { callbackRoutes } from "./callbacks/callbacks.routes";
import { considerationRoutes } from "./considerations/considerations.routes";
import { enquiryRoutes } from "./enquiries/enquiries.routes";
import type { AppEnv, Deps } from "./http/app-env";
import { clientAddressOf, guardApi } from "./http/guard";
import { importRoutes } from "./import/import.routes";
import { createAdmission } from "./lib/admission";
import { AppError, problemHeaders, toProblem } from "./lib/errors";
import { consoleLog, describeError } from "./lib/log";
import { BEARER_SCHEME, OPENAPI_DOCUMENT } from "./lib/openapi-document";
import { moveRoutes } from "./moves/moves.routes";
import { deliveryRoutes } from "./notifications/delivery-settings.routes";
import { notificationRoutes } from "./notifications/notifications.routes";
import { agencyRoutes } from "./register/agencies.routes";
import { authorityRoutes } from "./register/authorities.routes";
import { childRoutes } from "./register/children.routes";
import { historyRoutes } from "./register/history.routes";
import { postcodeAreaRoutes } from "./register/postcode-areas.routes";
import { workerRoutes } from "./register/workers.routes";
import { riskRoutes } from "./risk/risk.routes";
import { statsRoutes } from "./stats/stats.routes";
import { isPagePath, wantsPage } from "./web/core";
import { errorPage } from "./web/error-page";
import { webRoutes } from "./web/web.routes";

const SERVICE = "child-protection-register-enquiries";
const MAX_AUDITED_PATH = 200;

/** Builds the one app both runtimes serve. It does no I/O until a request arrives. */
export function createApp(deps: Deps) {
  const log = deps.log ?? consoleLog;
  const app = new OpenAPIHono<AppEnv>();
  const limits = createLimits(deps.config);

  app.use(requestId({ headerName: "x-request-id" }));
  app.use(async (c, next) => {
    const started = performance.now();
    c.set("deps", deps);
    c.set("limits", limits);
    await next();
    // One line a request, with no query string, body or token: those can carry children's names.
    log({
      at: deps.clock.now().toISOString(),
      requestId: c.var.requestId,
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: "same-origin",
      referrerPolicy: "no-referrer",
      // No inline script anywhere: the desks' scripts are files of this origin.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    }),
  );
  app.use(async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
  });
  const limit = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: () => {
      throw new AppError("too_large", `The request body is larger than ${deps.config.bodyLimitBytes} bytes.`);
    },
  });
  const isImport = (path: string) => path === "/v1/import" || path === "/import";
  // The bulk import (the API's, and the desk's upload) checks its body against a limit of its own as it streams in.
  app.use((c, next) => (isImport(c.req.path) ? next() : limit(c, next)));
  // The body (at most BODY_LIMIT_BYTES) is in before the request asks for a place: a client
  // slow to send it, or stalled half way, must not hold one of the places everybody needs
  // (an outside review locked the service out with MAX_IN_FLIGHT stalled uploads). The
  // handlers read it from hono's cache.
  app.use(async (c, next) => {
    if (c.req.raw.body && !isImport(c.req.path)) await c.req.arrayBuffer();
    await next();
  });
  // Before authentication or the audit: a refused request costs next to nothing.
  app.use((deps.admission ?? createAdmission(deps.config.admission)).middleware);
  // Every API refusal is audited; a desk user's too once signed in (a signed-out visitor's 404
  // for a mistyped address is not an access).
  app.use((c, next) =>
    c.req.path.startsWith("/v1/")
      ? auditRefusals(c, next)
      : isPagePath(c.req.path)
        ? auditRefusals(c, next, { signedInOnly: true })
        : next(),
  );
  app.use("/v1/*", guardApi(deps));

  app.get("/healthz", (c) => c.json({ status: "ok", service: SERVICE }, 200));
  app.get("/readyz", async (c) => {
    try {
      await deps.store.client.execute("SELECT 1");
      return c.json({ status: "ok", database: "reachable" }, 200);
    } catch (err) {
      log({
        at: deps.clock.now().toISOString(),
        requestId: c.var.requestId,
        level: "error",
        msg: "database unreachable",
        error: describeError(err),
      });
      throw new AppError("unavailable", "The database cannot be reached.");
    }
  });

  app.route("/", authorityRoutes);
  app.route("/", workerRoutes);
  app.route("/", agencyRoutes);
  app.route("/", childRoutes);
  app.route("/", historyRoutes);
  app.route("/", closureRoutes);
  app.route("/", deliveryRoutes);
  app.route("/", postcodeAreaRoutes);
  app.route("/", moveRoutes);
  app.route("/", importRoutes);
  app.route("/", enquiryRoutes);
  app.route("/", callbackRoutes);
  app.route("/", notificationRoutes);
  app.route("/", considerationRoutes);
  app.route("/", alertRoutes);
  app.route("/", riskRoutes);
  app.route("/", statsRoutes);
  app.route("/", auditRoutes);
  app.route("/", webRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", BEARER_SCHEME);
  app.doc31("/openapi.json", OPENAPI_DOCUMENT);

  app.notFound((c) => {
    if (wantsPage(c)) return errorPage(c, new AppError("not_found", "There is no such page."));
    throw new AppError("not_found", "There is no such resource.");
  });

  app.onError((err, c) => {
    const appErr = toAppError(err, c, log);
    if (appErr.options.target) c.set("refusalTarget", appErr.options.target);
    if (appErr.options.auditDetail) c.set("refusalDetail", appErr.options.auditDetail);
    return wantsPage(c) ? errorPage(c, appErr) : problem(c, appErr);
  });

  return app;
}

// Through the context, so the headers set earlier (request id, security) are kept.
const problem = (c: Context<AppEnv>, err: AppError) =>
  c.body(JSON.stringify(toProblem(err, c.var.requestId)), err.status as ContentfulStatusCode, problemHeaders(err));

function toAppError(err: unknown, c: Context<AppEnv>, log: (e: Record<string, unknown>) => void): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException && err.status === 400) return new AppError("malformed", malformedDetail(err.message));
  if (err instanceof HTTPException && err.status === 413) return new AppError("too_large", "The request body is too large.");
  if (err instanceof HTTPException && err.status === 415)
    return new AppError("unsupported_media", "The request body must be JSON with Content-Type: application/json.");
  if (isUniqueViolation(err)) return new AppError("conflict", "That would duplicate a record that must be unique.");
  // Anything else is our fault: log it with the request id, tell the client nothing of it.
  log({ at: new Date().toISOString(), level: "error", requestId: c.var.requestId, route: routePath(c, -1), error: describeError(err) });
  return new AppError("internal", `Something went wrong on our side. Quote request id ${c.var.requestId} if you report it.`);
}

const malformedDetail = (message: string) =>
  /content-type/i.test(message)
    ? "The request body must be JSON with Content-Type: application/json."
    : "The request body is not valid JSON.";

// drizzle wraps the driver's error: the SQLite code is on its cause.
const isUniqueViolation = (err: unknown): boolean => {
  if (typeof err !== "object" || err === null) return false;
  const { code, message, cause } = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (/SQLITE_CONSTRAINT/.test(String(code ?? "")) && /UNIQUE/i.test(String(message))) return true;
  return cause !== undefined && cause !== err && isUniqueViolation(cause);
};

/**
 * Every refusal (a 4xx) is written to the audit log, after the refused request's own
 * transaction has rolled back, with who asked, what for and why it was refused.
 */
async function auditRefusals(c: Context<AppEnv>, next: () => Promise<void>, opts: { signedInOnly?: boolean } = {}) {
  await next();
  const status = c.res.status;
  if (status < 400 || status >= 500) return;
  if (opts.signedInOnly && !c.get("principal")) return;
  const { store, clock } = c.var.deps;
  const principal = c.get("principal") ?? null;
  const target = c.get("refusalTarget");
  // Refusals no login answers for, and a login past its request rate, are what a flood is made
  // of: one row a minute per address and route, with the count of those held back
  // (refusal-coalescing.ts). The fishing control's refusals are each kept: they are evidence.
  let heldBack = 0;
  if (!principal || c.get("refusalDetail")?.policy === "login") {
    // Per route, so the log still says what was tried; the coalescer's cap on rows a minute in
    // all bounds what varying the route can add.
    const key = `${clientAddressOf(c)}|${principal?.userId ?? ""}|${c.req.method} ${routePath(c, -1)}|${status}`;
    const admitted = c.var.limits.coalescer.admit(key, clock.now().getTime());
    if (!admitted) return;
    heldBack = admitted.heldBack;
  }
  // The path is the caller's to choose: only its start is kept.
  const path =
    c.req.path.length > MAX_AUDITED_PATH
      ? { path: c.req.path.slice(0, MAX_AUDITED_PATH), pathLength: c.req.path.length }
      : { path: c.req.path };
  try {
    await appendAudit(
      store,
      { clock, requestId: c.var.requestId, principal },
      {
        action: `${c.req.method} ${routePath(c, -1)}`,
        target: target ? { type: target.type, id: target.id } : null,
        authority: target?.authority ?? (target?.type === "authority" ? target.id : null),
        outcome: `refused_${status}`,
        detail: { ...path, ...c.get("refusalDetail"), ...(heldBack ? { heldBack } : {}) },
      },
    );
  } catch (err) {
    // A refusal that cannot be recorded is not let through silently: the caller gets a 503.
    (c.var.deps.log ?? consoleLog)({
      at: clock.now().toISOString(),
      level: "error",
      requestId: c.var.requestId,
      msg: "could not audit a refusal",
      error: describeError(err),
    });
    const unavailable = new AppError("unavailable", "The service cannot record this request right now.");
    c.res = wantsPage(c) ? await errorPage(c, unavailable) : problem(c, unavailable);
  }
}
