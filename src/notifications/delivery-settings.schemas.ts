import { z } from "@hono/zod-openapi";
import { MAX, Text } from "../lib/fields";

export const DeliverySettings = z
  .strictObject({
    custodianEmail: z.email().max(254).nullable(),
    webhook: z
      .strictObject({
        // Where it may point (https in production, never inside) is checked by the service, which knows the deployment.
        url: z.url({ protocol: /^https?$/, error: "must be an https:// address" }).max(2000),
        secret: z.string().min(32, "must be at least 32 characters").max(256),
      })
      .nullable(),
  })
  .openapi("DeliverySettingsInput");

export const DeliveryView = z
  .object({
    custodianEmail: Text(254).nullable().openapi({ format: "email" }),
    webhook: z.object({ url: Text(2000).openapi({ format: "uri" }) }).nullable(),
  })
  .openapi("DeliverySettings");

export type DeliverySettingsInput = z.infer<typeof DeliverySettings>;

export const Params = z.object({
  code: z
    .string()
    .min(1)
    .max(MAX.authority)
    .openapi({ param: { name: "code", in: "path" } }),
});
