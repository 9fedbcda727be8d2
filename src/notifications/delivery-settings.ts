/**
 * Where an authority's notifications go besides the inbox: the register custodian's mailbox,
 * and its case system's webhook. The webhook's secret is write-only: never shown back, never
 * in the audit log.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Ctx } from "../app-env";
import { recordAudit } from "../audit/audit.service";
import { ctxOf, requireRole } from "../auth/middleware";
import { authorities } from "../db/schema";
import { MAX, Text } from "../lib/fields";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { managedAuthority } from "../register/authorities.service";

const DeliverySettings = z
  .strictObject({
    custodianEmail: z.email().max(254).nullable(),
    webhook: z
      .strictObject({
        // HTTPS: the case system's address; plain HTTP only to this machine (a local relay, the tests).
        url: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .refine((u) => u.startsWith("https:") || /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?\//.test(u), "must be an https:// address"),
        secret: z.string().min(32, "must be at least 32 characters").max(256),
      })
      .nullable(),
  })
  .openapi("DeliverySettingsInput");

const DeliveryView = z
  .object({ custodianEmail: Text(254).nullable().openapi({ format: "email" }), webhook: z.object({ url: Text(2000).openapi({ format: "uri" }) }).nullable() })
  .openapi("DeliverySettings");

const view = (a: { custodianEmail: string | null; webhookUrl: string | null }) => ({ custodianEmail: a.custodianEmail, webhook: a.webhookUrl ? { url: a.webhookUrl } : null });

export async function getDeliverySettings(ctx: Ctx, code: string) {
  return view(await managedAuthority(ctx.store.read, ctx, code));
}

export async function setDeliverySettings(ctx: Ctx, code: string, input: z.infer<typeof DeliverySettings>) {
  return ctx.store.write(async (tx) => {
    await managedAuthority(tx, ctx, code);
    await tx
      .update(authorities)
      .set({ custodianEmail: input.custodianEmail, webhookUrl: input.webhook?.url ?? null, webhookSecret: input.webhook?.secret ?? null })
      .where(eq(authorities.code, code));
    await recordAudit(tx, ctx, { action: "authority.delivery.update", target: { type: "authority", id: code }, authority: code, detail: { custodianEmail: input.custodianEmail, webhookUrl: input.webhook?.url ?? null } });
    return view({ custodianEmail: input.custodianEmail, webhookUrl: input.webhook?.url ?? null });
  });
}

const Params = z.object({ code: z.string().min(1).max(MAX.authority).openapi({ param: { name: "code", in: "path" } }) });
const dmOnly = [requireRole("designated_manager")];
const get = createRoute({
  method: "get",
  path: "/v1/authorities/{code}/delivery",
  tags: ["Register"],
  summary: "Where the authority's notifications are emailed and posted",
  operationId: "getDeliverySettings",
  description: "The register custodian's email address and the case system's webhook address that the authority's notifications go to besides the inbox; the webhook's secret is never shown. Designated managers only, for their own authorities (the token's `authorities`).",
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
  description: "Replaces both settings: the custodian's email (or null) and the webhook (an https address and a secret of at least 32 characters that signs each delivery, or null). Audited without the secret. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params, body: jsonBody(DeliverySettings) },
  responses: { 200: jsonResponse(DeliveryView, "The settings as they now stand"), ...errorResponses(404, 422) },
});

export const deliveryRoutes = createRouter()
  .openapi(get, async (c) => c.json(await getDeliverySettings(ctxOf(c), c.req.valid("param").code), 200))
  .openapi(put, async (c) => c.json(await setDeliverySettings(ctxOf(c), c.req.valid("param").code, c.req.valid("json")), 200));
