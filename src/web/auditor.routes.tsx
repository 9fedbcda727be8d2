import { Hono } from "hono";
import { endOf, listAudit, startOf } from "../audit/audit.service";
import { checkAuditLog } from "../audit/checkpoints";
import type { AppEnv } from "../http/app-env";
import { isCalendarDate } from "../lib/dates";
import { page, render } from "./core";
import { H1, Page } from "./layout";
import { Banner, Button, ErrorSummary, type FieldErrors, Table, TextInput, when } from "./ui";

const PAGE_SIZE = 50;

export const auditorRoutes = new Hono<AppEnv>()
  .get(
    "/audit",
    page(["auditor"], async (c, s, ctx) => {
      // Filters are user ids, opaque child ids and dates: nothing that names a child, so a GET form is safe.
      const q = {
        userId: c.req.query("userId")?.trim() ?? "",
        childId: c.req.query("childId")?.trim() ?? "",
        from: c.req.query("from")?.trim() ?? "",
        to: c.req.query("to")?.trim() ?? "",
      };
      const before = Number(c.req.query("before") ?? "") || undefined;
      const errors: FieldErrors = {};
      if (q.userId.length > 200) errors.userId = "User id must be 200 characters or fewer";
      if (q.childId.length > 100) errors.childId = "Child id must be 100 characters or fewer";
      if (q.from && !isCalendarDate(q.from)) errors.from = "From must be a date as YYYY-MM-DD, for example 2026-11-01";
      if (q.to && !isCalendarDate(q.to)) errors.to = "To must be a date as YYYY-MM-DD, for example 2026-11-30";
      if (!errors.from && !errors.to && q.from && q.to && q.from > q.to) errors.to = "To must be the same as or after From";
      const failed = Object.keys(errors).length > 0;
      const rows = failed
        ? []
        : await listAudit(
            ctx,
            {
              ...(q.userId ? { userId: q.userId } : {}),
              ...(q.childId ? { childId: q.childId } : {}),
              ...(q.from ? { from: startOf(q.from) } : {}),
              ...(q.to ? { to: endOf(q.to) } : {}),
              ...(before ? { before } : {}),
              limit: PAGE_SIZE,
            },
            { query: { ...q, before: before ?? null }, via: "desk" },
          );
      const shown = rows.slice(0, PAGE_SIZE);
      const older = rows.length > PAGE_SIZE ? new URLSearchParams({ ...q, before: shown[shown.length - 1]!.id }).toString() : null;
      return render(
        c,
        <Page title="Access log" session={s} active="/audit" hasErrors={failed}>
          <ErrorSummary errors={errors} />
          <H1>Access log</H1>
          <p class="govuk-body">
            <a class="govuk-link" href="/audit/verify">
              Check the log has not been altered
            </a>
          </p>
          <form method="get" action="/audit" novalidate>
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-half">
                <TextInput id="userId" label="User id" value={q.userId} error={errors.userId} />
                <TextInput id="childId" label="Child id" hint="From the child's record" value={q.childId} error={errors.childId} />
              </div>
              <div class="govuk-grid-column-one-half">
                <TextInput id="from" label="From" hint="YYYY-MM-DD" value={q.from} error={errors.from} width="10" />
                <TextInput id="to" label="To" hint="YYYY-MM-DD" value={q.to} error={errors.to} width="10" />
              </div>
            </div>
            <Button secondary>Filter</Button>
          </form>
          {shown.length ? (
            <Table
              caption="Newest first"
              id="audit"
              head={["When", "User", "Action", "Target", "Authority", "Outcome"]}
              rows={shown.map((r) => [
                when(r.at),
                r.userId ?? "(none)",
                r.action,
                r.target ? `${r.target.type} ${r.target.id ?? ""}` : "",
                r.authority ?? "",
                r.outcome,
              ])}
            />
          ) : failed ? null : (
            <p class="govuk-body">No entries match.</p>
          )}
          {older ? (
            <p class="govuk-body">
              <a class="govuk-link" href={`/audit?${older}`}>
                Older entries
              </a>
            </p>
          ) : null}
        </Page>,
      );
    }),
  )
  .get(
    "/audit/verify",
    page(["auditor"], async (c, s, ctx) => {
      const result = await checkAuditLog(ctx, []);
      return render(
        c,
        <Page title="Log check" session={s} active="/audit">
          <H1>Is the access log intact?</H1>
          {result.ok ? (
            <Banner title={`The log is intact: all ${result.checked} entries check out.`} success />
          ) : (
            <Banner title="The log has been altered">
              <p class="govuk-body">{`The chain breaks at entry ${result.firstBrokenId} (after checking ${result.checked}). Report this to your information governance lead now.`}</p>
            </Banner>
          )}
          <p class="govuk-body">
            Each entry carries a hash over its content and the entry before it, so changing, removing or reordering any entry breaks the
            chain from that point.
          </p>
          <p class="govuk-body">
            <a class="govuk-link" href="/audit">
              Back to the access log
            </a>
          </p>
        </Page>,
      );
    }),
  );
