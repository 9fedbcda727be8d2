import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { auditorRoutes } from "./auditor.routes";
import { authRoutes } from "./auth.routes";
import { docsRoutes } from "./docs.routes";
import { dutyRoutes } from "./duty.routes";
import { enquirerRoutes } from "./enquirer.routes";
import { inboxRoutes } from "./inbox.routes";
import { managerRoutes } from "./manager.routes";

/** The desks: pages over the same service verbs the API calls. */
export const webRoutes = new Hono<AppEnv>()
  .route("/", authRoutes)
  .route("/", enquirerRoutes)
  .route("/", dutyRoutes)
  .route("/", inboxRoutes)
  .route("/", auditorRoutes)
  .route("/", docsRoutes)
  .route("/", managerRoutes);
