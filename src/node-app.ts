import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { createApp } from "./app";
import type { Deps } from "./app-env";

/**
 * The app as Node serves it: the desks' static files from public/ (built by
 * `npm run build:assets`; on Workers the platform serves the same folder), then the app.
 */
export function createNodeApp(deps: Deps) {
  const app = createApp(deps);
  const outer = new Hono();
  outer.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("cache-control", "public, max-age=3600");
  });
  outer.use("/assets/*", serveStatic({ root: "./public" }));
  outer.route("/", app);
  return outer;
}
