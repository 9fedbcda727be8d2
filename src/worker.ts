import { createClient } from "@libsql/client/web";
import { createApp } from "./app";
import { sendCheckpoints } from "./audit/checkpoints";
import { signerFor } from "./audit/keys";
import { createTokenVerifier } from "./auth/verify";
import { createStore, isEmbeddedUrl, type Store } from "./db/store";
import { systemClock } from "./lib/clock";
import { type Config, parseConfig } from "./lib/config";
import { AppError, problemResponse } from "./lib/errors";
import { runJob } from "./lib/log";
import { dispatchDue } from "./notifications/dispatch";
import { endPlansAtEighteen } from "./register/reached-18";

type Env = Record<string, unknown>;
/** The hourly Cron Trigger in wrangler.toml (the other one runs every minute). */
const HOURLY = "7 * * * *";
type App = ReturnType<typeof createApp>;

let built: { app: App; store: Store; config: Config } | { error: string } | undefined;

/**
 * Built once per isolate from the Worker's environment. A configuration that cannot work
 * (no database URL, an embedded file URL, production without JWKS) answers every request
 * with a 503 that says what is wrong, rather than crashing the isolate.
 */
function build(env: Env): { app: App; store: Store; config: Config } | { error: string } {
  try {
    const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    if (!vars.DATABASE_URL) return { error: "DATABASE_URL is not set: give the Worker a libsql:// or https:// URL (Turso or sqld)." };
    if (isEmbeddedUrl(vars.DATABASE_URL))
      return { error: "DATABASE_URL is an embedded file, which Workers cannot open: use a libsql:// or https:// URL (Turso or sqld)." };
    const config = parseConfig(vars, { runtime: "worker" });
    let client: ReturnType<typeof createClient>;
    try {
      client = createClient({ url: config.databaseUrl, ...(config.databaseAuthToken ? { authToken: config.databaseAuthToken } : {}) });
    } catch (err) {
      return { error: `DATABASE_URL cannot be used: ${(err as Error).message}` };
    }
    const store = createStore(client, { serialiseWrites: false, auditHashKey: config.audit.hashKey });
    // The rate-limiting binding of wrangler.toml counts across isolates; each isolate also counts its own.
    const binding = env.UNAUTHENTICATED_LIMITER as { limit(o: { key: string }): Promise<{ success: boolean }> } | undefined;
    const edgeLimit = binding ? (key: string) => binding.limit({ key }).then((r) => r.success) : undefined;
    const app = createApp({
      store,
      clock: systemClock,
      config,
      verifyToken: createTokenVerifier(config.auth),
      clientAddress: (c) => c.req.header("cf-connecting-ip") ?? null,
      ...(edgeLimit ? { edgeLimit } : {}),
    });
    return { app, store, config };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: Parameters<App["fetch"]>[2]): Promise<Response> {
    built ??= build(env);
    if ("error" in built) {
      console.error(built.error);
      return problemResponse(new AppError("unavailable", `The service is misconfigured: ${built.error}`));
    }
    return built.app.fetch(request, env, ctx);
  },

  /** The Cron Trigger in wrangler.toml: the same scheduled work as the Node entry's timer. */
  async scheduled(controller: { cron: string }, env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<void> {
    built ??= build(env);
    if ("error" in built) {
      console.error(built.error);
      return;
    }
    const { store, config } = built;
    if (controller.cron === HOURLY) {
      ctx.waitUntil(runJob("reached-18", () => endPlansAtEighteen(store, systemClock)));
      ctx.waitUntil(runJob("audit-checkpoint", () => sendCheckpoints(store, systemClock, signerFor(config), config.audit.checkpointHours)));
    }
    // Every minute: webhooks go from here; emails wait in the outbox for a Node dispatcher with SMTP (README).
    // No resolver: Workers have no DNS API, and their fetch cannot reach private networks or
    // loopback, so the saved address's check (run again before each send) is what applies here.
    else
      ctx.waitUntil(
        runJob("dispatch", () =>
          dispatchDue(
            store,
            systemClock,
            { fetch },
            { publicUrl: config.delivery.publicUrl, mailFrom: config.delivery.mailFrom, webhookTargets: { appEnv: config.appEnv } },
          ),
        ),
      );
  },
};
