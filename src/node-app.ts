import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context } from "hono";
import { Hono } from "hono";
import { createApp } from "./app";
import type { AppEnv, Deps } from "./http/app-env";

/**
 * The app as Node serves it: the desks' static files from public/ (built by
 * `npm run build:assets`; on Workers the platform serves the same folder), then the app.
 */
export function createNodeApp(deps: Deps) {
  // The socket's peer. Behind a reverse proxy every client is the proxy: the per-address
  // limit then holds the proxy as a whole, which fails safe (README, Deployment).
  const clientAddress = (c: Context<AppEnv>) => {
    try {
      return getConnInfo(c).remote.address ?? null;
    } catch {
      return null;
    }
  };
  const app = createApp({ clientAddress, ...deps });
  const outer = new Hono();
  outer.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("cache-control", "public, max-age=3600");
  });
  outer.use("/assets/*", serveStatic({ root: "./public" }));
  outer.route("/", app);
  return outer;
}
