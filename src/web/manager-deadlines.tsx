import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { londonToday } from "../lib/dates";
import type { Role } from "../lib/principal";
import { listDeadlines } from "../moves/moves.service";
import { riskReviewsDue } from "../risk/risk.service";
import { page, render } from "./core";
import { H1, Page } from "./layout";
import { day, Table, Tag } from "./ui";

const addMonth = (d: string) => {
  const t = new Date(`${d}T12:00:00Z`);
  t.setUTCMonth(t.getUTCMonth() + 1);
  return t.toISOString().slice(0, 10);
};

const DM: Role[] = ["designated_manager"];

const status = (r: { due: string; overdue: boolean }, today: string) =>
  r.overdue ? <Tag colour="red">Overdue</Tag> : r.due === today ? <Tag colour="orange">Due today</Tag> : <Tag colour="blue">Due</Tag>;

/** Receiving-in conferences still to be held (seed 004 §63), soonest first, as the API lists them. */
export const deadlinePages = new Hono<AppEnv>().get(
  "/deadlines",
  page(DM, async (c, s, ctx) => {
    const rows = await listDeadlines(ctx, "all");
    const today = londonToday(ctx.clock.now());
    // Reviews of people who may pose a risk due within a month, and those overdue (seed 000 §2.153).
    const reviews = await riskReviewsDue(ctx.store.read, ctx.principal.authorities, addMonth(today));
    const overdue = rows.filter((r) => r.overdue).length;
    return render(
      c,
      <Page title="Deadlines" session={s} active="/deadlines">
        <H1>Deadlines</H1>
        <p class="govuk-body">
          A child moving in on another authority's plan needs a receiving-in conference within 15 working days of the move.
        </p>
        {rows.length ? (
          <div>
            <p class="govuk-body" id="deadline-counts">
              {`${rows.length} to hold, ${overdue} overdue.`}
            </p>
            <Table
              caption="Receiving-in conferences, soonest first"
              head={["Due by", "Status", "Authority", "Child"]}
              rows={rows.map((r) => [
                day(r.due),
                status(r, today),
                r.authority,
                <a class="govuk-link" href={`/register/children/${r.childId}`}>
                  View record<span class="govuk-visually-hidden">{` of the child whose conference is due by ${day(r.due)}`}</span>
                </a>,
              ])}
            />
          </div>
        ) : (
          <p class="govuk-body">No receiving-in conferences are waiting to be held.</p>
        )}
        <h2 class="govuk-heading-m">Reviews of people who may pose a risk</h2>
        {reviews.length ? (
          <Table
            id="risk-reviews"
            caption={`${reviews.length} due within a month, ${reviews.filter((r) => r.reviewOn! < today).length} overdue`}
            head={["Review by", "Status", "Authority", "Notified"]}
            rows={reviews.map((r) => [
              day(r.reviewOn),
              r.reviewOn! < today ? <Tag colour="red">Overdue</Tag> : <Tag colour="yellow">Due</Tag>,
              r.authority,
              day(r.notifiedOn),
            ])}
          />
        ) : (
          <p class="govuk-body">No reviews are due within a month.</p>
        )}
      </Page>,
    );
  }),
);
