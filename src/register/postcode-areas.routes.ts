import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../http/router";
import { Areas, Params, Prefix } from "./postcode-areas.schemas";
import { getAreas, setAreas } from "./postcode-areas.service";

const dmOnly = [requireRole("designated_manager")];

const get = createRoute({
  method: "get",
  path: "/v1/authorities/{code}/postcode-areas",
  tags: ["Register"],
  summary: "The postcode areas and districts an authority covers",
  operationId: "getPostcodeAreas",
  description:
    "The postcode areas (BH) and districts (BH1) an authority covers, sorted: an enquiry with an address there is checked against its register too. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params },
  responses: { 200: jsonResponse(Areas, "Areas"), ...errorResponses(404) },
});
const put = createRoute({
  method: "put",
  path: "/v1/authorities/{code}/postcode-areas",
  tags: ["Register"],
  summary: "Set the postcode areas an authority covers: enquiries with an address there are checked against its register too (audited)",
  operationId: "setPostcodeAreas",
  description:
    "Replaces an authority's postcode areas and districts (at most 200; the most specific match wins across the deployment's authorities). Audited. Designated managers only, for their own authorities (the token's `authorities`).",
  middleware: dmOnly,
  request: { params: Params, body: jsonBody(z.strictObject({ prefixes: z.array(Prefix).max(200) })) },
  responses: { 200: jsonResponse(Areas, "The areas as they now stand"), ...errorResponses(404, 409, 422) },
});

export const postcodeAreaRoutes = createRouter()
  .openapi(get, async (c) => c.json(await getAreas(ctxOf(c), c.req.valid("param").code), 200))
  .openapi(put, async (c) => c.json(await setAreas(ctxOf(c), c.req.valid("param").code, c.req.valid("json").prefixes), 200));
