import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { FC } from "hono/jsx";
import type { AppEnv } from "../http/app-env";
import { runImport } from "../import/importer";
import { lines, streamChunks } from "../import/lines";
import type { LineErrors } from "../import/validate";
import { AppError } from "../lib/errors";
import type { Role } from "../lib/principal";
import { action, page, render } from "./core";
import { H1, Page } from "./layout";
import type { WebSession } from "./session";
import { Button, CsrfField, ErrorSummary, type FieldErrors, SummaryList, Table } from "./ui";

const DM: Role[] = ["designated_manager"];

/** Larger files go through `npm run import`, which streams from disk; a browser upload is held in memory once parsed. */
export const UPLOAD_MAX_BYTES = 32 * 1024 * 1024;
const MIB = 1024 * 1024;
/** The multipart envelope (boundaries, the CSRF field) around the file. */
const ENVELOPE_BYTES = 64 * 1024;
/** Bad lines listed on the page; the rest are counted. */
const SHOWN_PROBLEMS = 500;

const tooLargeMessage = (max: number) =>
  `The selected file must be smaller than ${Math.round(max / MIB)} MB. Split it into smaller files, or ask for it to be loaded with npm run import.`;

type Outcome =
  | { kind: "form" }
  | { kind: "done"; totals: { lines: number; created: number; updated: number; unchanged: number }; name: string }
  | { kind: "bad_lines"; detail: string; bad: LineErrors[]; invalid: number };

const FileUpload: FC<{ error?: string | undefined }> = ({ error }) => (
  <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
    <label class="govuk-label govuk-label--s" for="file">
      Upload an NDJSON file
    </label>
    <div id="file-hint" class="govuk-hint">
      One child a line, as the case system exports it. At most 32 MB.
    </div>
    {error ? (
      <p id="file-error" class="govuk-error-message">
        <span class="govuk-visually-hidden">Error:</span> {error}
      </p>
    ) : null}
    {/* The plain file input: GOV.UK Frontend's enhanced drop zone gives the button a name that differs from its visible text (axe: label-content-name-mismatch). */}
    <div>
      <input
        class={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`}
        id="file"
        name="file"
        type="file"
        accept=".ndjson,.jsonl,.json,application/x-ndjson"
        aria-describedby={`file-hint${error ? " file-error" : ""}`}
      />
    </div>
  </div>
);

/** Says when the table is not the whole story: the importer reports at most 1000 lines, the page lists at most SHOWN_PROBLEMS problems. */
const Truncation: FC<{ bad: LineErrors[]; invalid: number }> = ({ bad, invalid }) => {
  const problems = bad.reduce((n, b) => n + b.errors.length, 0);
  if (problems <= SHOWN_PROBLEMS && invalid <= bad.length) return null;
  return (
    <p class="govuk-body">{`The first ${Math.min(problems, SHOWN_PROBLEMS)} problems are listed; ${invalid} lines have problems in all.`}</p>
  );
};

const ImportPage: FC<{ session: WebSession; errors: FieldErrors; outcome: Outcome }> = ({ session, errors, outcome }) => (
  <Page
    title="Import from the case system"
    session={session}
    active="/import"
    scripts={["/assets/app/upload.js"]}
    hasErrors={Object.keys(errors).length > 0}
  >
    <ErrorSummary errors={errors} />
    {outcome.kind === "done" ? (
      <div class="govuk-panel govuk-panel--confirmation" id="import-done">
        <h1 class="govuk-panel__title">Import complete</h1>
        <div class="govuk-panel__body">{`${outcome.totals.lines} lines read`}</div>
      </div>
    ) : (
      <H1 caption="Register">Import from the case system</H1>
    )}
    {outcome.kind === "done" ? (
      <SummaryList
        id="import-summary"
        rows={[
          ["File", outcome.name],
          ["Lines", String(outcome.totals.lines)],
          ["Children added", String(outcome.totals.created)],
          ["Children updated", String(outcome.totals.updated)],
          ["Unchanged", String(outcome.totals.unchanged)],
        ]}
      />
    ) : null}
    {outcome.kind === "bad_lines" ? (
      <div id="import-problems">
        <h2 class="govuk-heading-m">Nothing was imported</h2>
        <p class="govuk-body">{outcome.detail} Correct these lines in the case system's export and upload the whole file again.</p>
        <Table
          caption={outcome.invalid === 1 ? "The line with a problem" : "Lines with problems"}
          head={["Line", "Field", "Problem"]}
          rows={outcome.bad
            .flatMap((b) => b.errors.map((e) => [String(b.line), e.path || "(the whole line)", e.message]))
            .slice(0, SHOWN_PROBLEMS)}
        />
        <Truncation bad={outcome.bad} invalid={outcome.invalid} />
      </div>
    ) : null}
    <h2 class="govuk-heading-m">{outcome.kind === "form" ? "Choose the file" : "Import another file"}</h2>
    <p class="govuk-body">
      Every line is checked before anything is written: if any line is wrong, nothing is imported. Children already on the register are
      updated by their case system reference; history is kept.
    </p>
    {/* The upload script takes over this form when it can, to show progress; without it the form posts as usual. */}
    <form method="post" action="/import" enctype="multipart/form-data" novalidate data-upload-progress="true">
      <CsrfField token={session.csrf} />
      <FileUpload error={errors.file} />
      <div class="govuk-!-margin-bottom-6 app-live" id="upload-progress" aria-live="polite" hidden></div>
      <Button>Import</Button>
    </form>
  </Page>
);

const show = (c: Context<AppEnv>, s: WebSession, errors: FieldErrors, outcome: Outcome, status: 200 | 413 | 422 = 200) =>
  render(c, <ImportPage session={s} errors={errors} outcome={outcome} />, status);

/** A body far over the limit is refused while it streams in, before it is parsed into memory. */
const uploadLimit = (max: number) =>
  bodyLimit({
    maxSize: max + ENVELOPE_BYTES,
    onError: () => {
      throw new AppError("too_large", tooLargeMessage(max));
    },
  });

export const importPages = new Hono<AppEnv>()
  .get(
    "/import",
    page(DM, (c, s) => show(c, s, {}, { kind: "form" })),
  )
  .post(
    "/import",
    (c, next) => uploadLimit(Math.min(UPLOAD_MAX_BYTES, c.var.deps.config.importMaxBytes))(c, next),
    action(DM, async (c, s, ctx, form) => {
      const max = Math.min(UPLOAD_MAX_BYTES, c.var.deps.config.importMaxBytes);
      const file = form.file;
      if (!(file instanceof File) || file.size === 0) return show(c, s, { file: "Select an NDJSON file to import" }, { kind: "form" }, 422);
      if (file.size > max) return show(c, s, { file: tooLargeMessage(max) }, { kind: "form" }, 413);
      try {
        // The import reads its source twice (check, then write); a parsed upload is a File, which can be read again.
        const totals = await runImport(ctx, () => lines(streamChunks(file.stream())));
        return show(c, s, {}, { kind: "done", totals, name: file.name });
      } catch (err) {
        const extra = err instanceof AppError && err.status === 422 ? err.options.extra : undefined;
        if (!extra || !Array.isArray(extra.lines)) throw err;
        const bad = extra.lines as LineErrors[];
        const invalid = typeof extra.invalidLines === "number" ? extra.invalidLines : bad.length;
        return show(
          c,
          s,
          { file: `${invalid === 1 ? "1 line is" : `${invalid} lines are`} not valid: nothing was imported` },
          { kind: "bad_lines", detail: (err as AppError).detail, bad, invalid },
          422,
        );
      }
    }),
  );
