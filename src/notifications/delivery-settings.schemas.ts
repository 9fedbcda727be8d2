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
    // Seed 004 §47, §71: the local contact points told when a plan ends. Left out, each stays as it is.
    healthContactEmail: z
      .email()
      .max(254)
      .nullable()
      .optional()
      .openapi({ description: "The health contact point told when a plan ends (null: none); left out, unchanged" }),
    educationContactEmail: z
      .email()
      .max(254)
      .nullable()
      .optional()
      .openapi({ description: "The education authority's contact point told when a plan ends (null: none); left out, unchanged" }),
  })
  .openapi("DeliverySettingsInput");

export const DeliveryView = z
  .object({
    custodianEmail: Text(254).nullable().openapi({ format: "email" }),
    webhook: z.object({ url: Text(2000).openapi({ format: "uri" }) }).nullable(),
    healthContactEmail: Text(254).nullable().openapi({ format: "email" }),
    educationContactEmail: Text(254).nullable().openapi({ format: "email" }),
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
