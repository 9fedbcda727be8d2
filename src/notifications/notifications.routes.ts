import { createRoute, z } from "@hono/zod-openapi";
import { EnquirerSchema } from "../enquiries/enquiries.schemas";
import { ctxOf, requireRole } from "../http/middleware";
import { createRouter, errorResponses, IdParam, jsonResponse } from "../http/router";
import { IdOut, InstantOut, int32, MAX, PhoneOut, ReferenceOut, Text } from "../lib/fields";
import { decodeCursor, PageQuery, page, toPage } from "../lib/pagination";
import { getNotification, listNotifications, markNotificationRead } from "./notifications.service";

const NotificationSchema = z
  .object({
    id: IdOut,
    kind: z.enum(["enquiry_about_open_case", "enquiry_at_same_address"]),
    createdAt: InstantOut,
    readAt: InstantOut.nullable(),
    enquiry: z.object({
      id: IdOut,
      reference: ReferenceOut,
      receivedAt: InstantOut,
      enquirer: EnquirerSchema,
      callbackNumber: PhoneOut,
      reason: Text(MAX.text),
    }),
    child: z.object({ id: IdOut, name: Text(2 * MAX.name + 1) }),
    delivery: z
      .array(
        z.object({
          channel: z.enum(["email", "webhook"]),
          status: z.enum(["pending", "sent", "failed"]),
          attempts: int32(),
          sentAt: InstantOut.nullable(),
        }),
      )
      .max(2)
      .openapi({ description: "How the notification went out: email to you, and the authority's case system" }),
  })
  .openapi("Notification");

const kwOnly = [requireRole("key_worker")];

const list = createRoute({
  method: "get",
  path: "/v1/notifications",
  tags: ["Notifications"],
  summary: "Your notifications of enquiries, newest first",
  operationId: "listNotifications",
  description:
    "Your notifications of enquiries about children whose case you hold, or at their address, newest first, a page at a time (`unread=true` for those not read). Key workers only.",
  middleware: kwOnly,
  request: {
    query: PageQuery.extend({ unread: z.enum(["true", "false"]).optional().openapi({ description: "true: only those not yet read" }) }),
  },
  responses: { 200: jsonResponse(page(NotificationSchema), "Notifications"), ...errorResponses() },
});

const getOne = createRoute({
  method: "get",
  path: "/v1/notifications/{id}",
  tags: ["Notifications"],
  summary: "One of your notifications (reading it does not mark it read)",
  operationId: "getNotification",
  description: "One of your notifications; reading it does not mark it read. An audited read; another's is 404. Key workers only.",
  middleware: kwOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(NotificationSchema, "The notification"), ...errorResponses(404) },
});

const read = createRoute({
  method: "post",
  path: "/v1/notifications/{id}/read",
  tags: ["Notifications"],
  summary: "Mark one of your notifications read",
  operationId: "markNotificationRead",
  description: "Marks one of your notifications read; another's is 404. Key workers only.",
  middleware: kwOnly,
  request: { params: IdParam },
  responses: { 200: jsonResponse(NotificationSchema, "The notification as it now stands"), ...errorResponses(404) },
});

export const notificationRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await listNotifications(ctxOf(c), { unread: q.unread === "true", before: decodeCursor(q.cursor), limit: q.limit });
    return c.json(
      toPage(rows, q.limit, (n) => n.id, c.req.url),
      200,
    );
  })
  .openapi(getOne, async (c) => c.json(await getNotification(ctxOf(c), c.req.valid("param").id), 200))
  .openapi(read, async (c) => c.json(await markNotificationRead(ctxOf(c), c.req.valid("param").id), 200));
