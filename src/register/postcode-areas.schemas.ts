import { z } from "@hono/zod-openapi";
import { MAX, Text } from "../lib/fields";

/** A postcode area or district as a manager types it: any case and spacing, kept compact and upper case. */
export const Prefix = z
  .string()
  .max(10)
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{1,2}(\d[A-Z\d]?)?$/, "must be a postcode area (BH) or district (BH1, W1A)"))
  .openapi({
    type: "string",
    maxLength: 10,
    example: "BH1",
    description: "A postcode area (BH) or district (BH1, W1A), any case and spacing",
  });

export const Params = z.object({
  code: z
    .string()
    .min(1)
    .max(MAX.authority)
    .openapi({ param: { name: "code", in: "path" } }),
});
export const Areas = z
  .object({ prefixes: z.array(Text(4).openapi({ pattern: "^[A-Z]{1,2}(\\d[A-Z\\d]?)?$", example: "BH1" })).max(200) })
  .openapi("PostcodeAreas");
