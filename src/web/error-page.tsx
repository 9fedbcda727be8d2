import type { Context } from "hono";
import type { AppEnv } from "../http/app-env";
import type { AppError } from "../lib/errors";
import { render } from "./core";
import { H1, Page } from "./layout";

const HEADINGS: Record<number, string> = {
  400: "There is a problem with that request",
  401: "You need to sign in",
  403: "You cannot do that here",
  404: "Page not found",
  409: "That has changed since you opened it",
  413: "That file is too large",
  422: "There is a problem with that request",
  429: "Too many enquiries",
  503: "Sorry, the service is unavailable",
  500: "Sorry, there is a problem with the service",
};

/** An error as a page, for the desks; the API's callers get problem+json from the same AppError. */
export function errorPage(c: Context<AppEnv>, err: AppError) {
  const status = err.status as 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;
  const session = c.get("session") ?? null;
  const heading = HEADINGS[status] ?? HEADINGS[500]!;
  return render(
    c,
    <Page title={heading} session={session}>
      <H1>{heading}</H1>
      <p class="govuk-body">
        {status === 404
          ? "If you typed the web address, check it is correct. If you followed a link, it may be to something you cannot see."
          : err.detail}
      </p>
      {status === 401 ? (
        <p class="govuk-body">
          <a class="govuk-link" href="/">
            Go to the start page to sign in
          </a>
        </p>
      ) : (
        <p class="govuk-body">
          <a class="govuk-link" href="/">
            Go to your desks
          </a>
        </p>
      )}
      <p class="govuk-body-s">Request id {c.var.requestId}</p>
    </Page>,
    status,
  );
}
