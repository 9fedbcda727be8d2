import { createRoute, z } from "@hono/zod-openapi";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, jsonResponse } from "../http/router";
import { AuthorityCodeOut, IdOut, InstantOut, int32, MAX, NameOut, Text, UserIdOut } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { listAlerts } from "./alerts.service";

const AlertSchema = z
  .object({
    id: IdOut,
    kind: z.literal("suspected_trawl"),
    authority: AuthorityCodeOut,
    at: InstantOut,
    enquirer: z.object({ userId: UserIdOut, name: NameOut, profession: Text(MAX.label).nullable(), agency: NameOut.nullable() }),
    enquiriesInWindow: int32(),
    windowMinutes: int32(1),
  })
  .openapi("TrawlAlert");

const RiskLinkAlertSchema = z
  .object({
    id: IdOut,
    kind: z.literal("enquiry_linked_to_person_posing_risk"),
    authority: AuthorityCodeOut,
    enquiryId: IdOut,
    personId: IdOut,
    createdAt: InstantOut,
  })
  .openapi("RiskLinkAlert");

const KeyWorkerAlertSchema = z
  .object({
    id: IdOut,
    kind: z.literal("enquiry_without_key_worker"),
    authority: AuthorityCodeOut,
    enquiryId: IdOut,
    childId: IdOut,
    reason: z.enum(["enquiry_about_plan_child", "enquiry_at_same_address"]),
    createdAt: InstantOut,
  })
  .openapi("KeyWorkerAlert", {
    description:
      "An enquiry about a child on a plan, or at such a child's address, that no key worker with a login could be told of (a temporary plan, or a plan with no open case here): the designated manager is told instead (seed 004 §72)",
  });

const AnyAlert = z.discriminatedUnion("kind", [AlertSchema, RiskLinkAlertSchema, KeyWorkerAlertSchema]).openapi("Alert");

const list = createRoute({
  method: "get",
  path: "/v1/alerts",
  tags: ["Considerations"],
  summary: "Alerts: suspected trawls, enquiries linked to a person who may pose a risk, enquiries no key worker could be told of",
  operationId: "listTrawlAlerts",
  description:
    "Alerts in your authorities, newest first: suspected trawls (enquirers refused for making too many enquiries in the window, with how many they made), and enquiries whose present address or a carer matches a person notified as posing a risk to children (seed 000 §2.153), and enquiries about a plan child (or at such a child's address) that no key worker with a login could be told of (seed 004 §72). Designated managers, for their own authorities (the token's `authorities`); out of office hours a duty officer too, for those of their authorities whose offices are closed (the out-of-hours service acts as the designated manager). A duty officer in office hours: 403.",
  middleware: [requireRole("designated_manager", "duty_officer")],
  request: { query: PageQuery },
  responses: { 200: jsonResponse(page(AnyAlert), "Alerts, newest first"), ...errorResponses() },
});

export const alertRoutes = createRouter().openapi(list, async (c) => {
  const q = c.req.valid("query");
  const rows = await listAlerts(ctxOf(c), { before: decodeCursor(q.cursor), limit: q.limit });
  return c.json(
    toPage(rows, q.limit, (r) => r.id, c.req.url),
    200,
  );
});
