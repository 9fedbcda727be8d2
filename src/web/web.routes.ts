import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { authRoutes } from "./auth.routes";
import { enquirerRoutes } from "./enquirer.routes";

/** The desks: pages over the same service verbs the API calls. */
export const webRoutes = new Hono<AppEnv>().route("/", authRoutes).route("/", enquirerRoutes);
