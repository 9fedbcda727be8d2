import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { formatForPeople } from "../lib/phone";
import { getNotification, listNotifications, markNotificationRead } from "../notifications/notifications.service";
import { professionLabel } from "../register/professions";
import { action, page, render } from "./core";
import { H1, Page } from "./layout";
import { BackLink, Banner, Button, CsrfField, SummaryList, Table, Tag, when } from "./ui";

const KIND = {
  enquiry_about_open_case: "Enquiry about your open case",
  enquiry_at_same_address: "Enquiry about a child at the address of a child on your plan",
} as const;
const INBOX_LIMIT = 100;

export const inboxRoutes = new Hono<AppEnv>()
  .get(
    "/inbox",
    page(["key_worker"], async (c, s, ctx) => {
      const items = (await listNotifications(ctx, { unread: false, limit: INBOX_LIMIT })).slice(0, INBOX_LIMIT);
      // Unread first, each group newest first.
      const sorted = [...items.filter((n) => !n.readAt), ...items.filter((n) => n.readAt)];
      const unread = items.filter((n) => !n.readAt).length;
      return render(
        c,
        <Page title="Inbox" session={s} active="/inbox">
          <H1>Inbox</H1>
          <p class="govuk-body">{unread === 1 ? "1 notification not yet read." : `${unread} notifications not yet read.`}</p>
          {sorted.length ? (
            <Table
              head={["Enquiry", "About", "Received", "Status"]}
              id="inbox"
              rows={sorted.map((n) => [
                <a class="govuk-link" href={`/inbox/${n.id}`}>
                  {n.enquiry.reference}
                </a>,
                KIND[n.kind],
                when(n.createdAt),
                n.readAt ? <Tag colour="grey">Read</Tag> : <Tag colour="blue">Unread</Tag>,
              ])}
            />
          ) : (
            <p class="govuk-body">No notifications.</p>
          )}
        </Page>,
      );
    }),
  )
  .get(
    "/inbox/:id",
    page(["key_worker"], async (c, s, ctx) => {
      const n = await getNotification(ctx, c.req.param("id") ?? "");
      const justRead = c.req.query("read") === "1";
      return render(
        c,
        <Page title={`Notification about ${n.enquiry.reference}`} session={s} active="/inbox">
          <BackLink href="/inbox">Back to the inbox</BackLink>
          {justRead ? <Banner title="Marked as read" success /> : null}
          <H1 caption={KIND[n.kind]}>{n.enquiry.reference}</H1>
          <SummaryList
            rows={[
              ["Child", n.child.name],
              ["Enquiry received", when(n.enquiry.receivedAt)],
              [
                "Enquirer",
                `${n.enquiry.enquirer.name}, ${professionLabel(n.enquiry.enquirer.profession ?? "")}${n.enquiry.enquirer.agency ? `, ${n.enquiry.enquirer.agency}` : ""}`,
              ],
              [
                "Call-back number",
                <a class="govuk-link" href={`tel:${n.enquiry.callbackNumber}`}>
                  {formatForPeople(n.enquiry.callbackNumber)}
                </a>,
              ],
              ["Reason for the enquiry", n.enquiry.reason],
              ["Status", n.readAt ? `Read ${when(n.readAt)}` : "Not yet read"],
            ]}
          />
          {n.readAt ? null : (
            <form method="post" action={`/inbox/${n.id}/read`}>
              <CsrfField token={s.csrf} />
              <Button secondary>Mark as read</Button>
            </form>
          )}
        </Page>,
      );
    }),
  )
  .post(
    "/inbox/:id/read",
    action(["key_worker"], async (c, _s, ctx) => {
      const n = await markNotificationRead(ctx, c.req.param("id") ?? "");
      return c.redirect(`/inbox/${n.id}?read=1`, 303);
    }),
  );
