import { createClient } from "@libsql/client/web";
import { createApp } from "./app";
import { createTokenVerifier } from "./auth/verify";
import { parseConfig } from "./config";
import { createStore, isEmbeddedUrl, type Store } from "./db/store";
import { endPlansAtEighteen } from "./register/reached-18";
import { systemClock } from "./lib/clock";
import { AppError, problemResponse } from "./lib/errors";

type Env = Record<string, unknown>;
type App = ReturnType<typeof createApp>;

let built: { app: App; store: Store } | { error: string } | undefined;

/**
 * Built once per isolate from the Worker's environment. A configuration that cannot work
 * (no database URL, an embedded file URL, production without JWKS) answers every request
 * with a 503 that says what is wrong, rather than crashing the isolate.
 */
function build(env: Env): { app: App; store: Store } | { error: string } {
  try {
    const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    if (!vars.DATABASE_URL) return { error: "DATABASE_URL is not set: give the Worker a libsql:// or https:// URL (Turso or sqld)." };
    if (isEmbeddedUrl(vars.DATABASE_URL))
      return { error: "DATABASE_URL is an embedded file, which Workers cannot open: use a libsql:// or https:// URL (Turso or sqld)." };
    const config = parseConfig(vars);
    let client;
    try {
      client = createClient({ url: config.databaseUrl, ...(config.databaseAuthToken ? { authToken: config.databaseAuthToken } : {}) });
    } catch (err) {
      return { error: `DATABASE_URL cannot be used: ${(err as Error).message}` };
    }
    const store = createStore(client, { serialiseWrites: false });
    return { app: createApp({ store, clock: systemClock, config, verifyToken: createTokenVerifier(config.auth) }), store };
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
  async scheduled(_controller: unknown, env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<void> {
    built ??= build(env);
    if ("error" in built) {
      console.error(built.error);
      return;
    }
    const { store } = built;
    ctx.waitUntil(
      endPlansAtEighteen(store, systemClock).then(
        (r) => console.log(JSON.stringify({ at: new Date().toISOString(), job: "reached-18", ...r })),
        (err) => console.error(JSON.stringify({ at: new Date().toISOString(), job: "reached-18", level: "error", error: (err as Error).message })),
      ),
    );
  },
};
