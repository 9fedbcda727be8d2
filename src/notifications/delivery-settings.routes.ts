import { createRoute } from "@hono/zod-openapi";
import type { Deps } from "../http/app-env";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../http/router";
import { DeliverySettings, DeliveryView, Params } from "./delivery-settings.schemas";
import { getDeliverySettings, setDeliverySettings } from "./delivery-settings.service";
import type { WebhookTargetPolicy } from "./webhook-target";

/** Where a webhook may point in this deployment (webhook-target.ts). */
const webhookPolicyOf = (deps: Pick<Deps, "config" | "testOnlyAllowLoopbackWebhooks">): WebhookTargetPolicy => ({
  appEnv: deps.config.appEnv,
  ...(deps.testOnlyAllowLoopbackWebhooks ? { testOnlyAllowLoopback: true as const } : {}),
});

const dmOnly = [requireRole("designated_manager")];
const get = createRoute({
  method: "get",
  path: "/v1/authorities/{code}/delivery",
  tags: ["Register"],
  summary: "Where the authority's notifications are emailed and posted",
  operationId: "getDeliverySettings",
  description:
    "The register custodian's email address and the case system's webhook address that the authority's notifications go to besides the inbox, and the health and education contact points told when a plan ends (seed 004 §47); the webhook's secret is never shown. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params },
  responses: { 200: jsonResponse(DeliveryView, "The settings (the webhook's secret is never shown)"), ...errorResponses(404) },
});
const put = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/delivery",
  tags: ["Register"],
  summary: "Set the custodian's email and the case system's signed webhook (audited, secret excluded)",
  operationId: "setDeliverySettings",
  description:
    "Replaces both settings: the custodian's email (or null) and the webhook (an https address and a secret of at least 32 characters that signs each delivery, or null); `healthContactEmail` and `educationContactEmail` (each an email or null; left out, unchanged) are told when a plan ends. Audited without the secret. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params, body: jsonBody(DeliverySettings) },
  responses: { 200: jsonResponse(DeliveryView, "The settings as they now stand"), ...errorResponses(404, 422) },
});

export const deliveryRoutes = createRouter()
  .openapi(get, async (c) => c.json(await getDeliverySettings(ctxOf(c), c.req.valid("param").code), 200))
  .openapi(put, async (c) =>
    c.json(await setDeliverySettings(ctxOf(c), c.req.valid("param").code, c.req.valid("json"), webhookPolicyOf(c.var.deps)), 200),
  );
