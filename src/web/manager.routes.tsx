import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { alertPages } from "./manager-alerts";
import { considerationPages } from "./manager-considerations";
import { deadlinePages } from "./manager-deadlines";
import { importPages } from "./manager-import";
import { onPlanPages } from "./manager-on-plan";
import { registerPages } from "./manager-register";
import { statsPages } from "./manager-stats";

/**
 * The designated manager's desk: the register and its children on a plan, child-in-need considerations, receiving-in
 * deadlines, the import and the Board's figures, each over the service verbs the API calls.
 */
export const managerRoutes = new Hono<AppEnv>()
  .route("/", registerPages)
  .route("/", onPlanPages)
  .route("/", considerationPages)
  .route("/", alertPages)
  .route("/", deadlinePages)
  .route("/", importPages)
  .route("/", statsPages);
