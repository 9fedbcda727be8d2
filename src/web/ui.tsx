import type { Child, FC, PropsWithChildren } from "hono/jsx";
import { enquirySubject } from "../enquiries/enquired";
import type { EnquiryDetails } from "../enquiries/enquiries.schemas";

/**
 * GOV.UK Frontend's components as small JSX functions: the markup its stylesheet and
 * scripts expect, and the accessibility patterns (labels, hints, error messages tied to
 * their fields) that staff in UK public services already know.
 */

export interface FieldErrors {
  [field: string]: string;
}

export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

export const ErrorSummary: FC<{ errors: FieldErrors; title?: string }> = ({ errors, title }) => {
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{title ?? "There is a problem"}</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {entries.map(([field, message]) => (
              <li>{field.startsWith("_") ? message : <a href={`#${field}`}>{message}</a>}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
};

const ErrorMessage: FC<{ id: string; message?: string | undefined }> = ({ id, message }) =>
  message ? (
    <p id={`${id}-error`} class="govuk-error-message">
      <span class="govuk-visually-hidden">Error:</span> {message}
    </p>
  ) : null;

const describedBy = (id: string, hint?: unknown, error?: unknown) =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

interface FieldProps {
  id: string;
  /** The form field's name, when it is not the id (several forms of one page posting the same field). */
  name?: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value?: string | null | undefined;
}

/** A field's label, hint and error message, tied to it by id. */
const FieldHead: FC<FieldProps> = (p) => (
  <>
    <label class="govuk-label" for={p.id}>
      {p.label}
    </label>
    {p.hint ? (
      <div id={`${p.id}-hint`} class="govuk-hint">
        {p.hint}
      </div>
    ) : null}
    <ErrorMessage id={p.id} message={p.error} />
  </>
);

export const TextInput: FC<
  FieldProps & { type?: string; width?: string; autocomplete?: string; inputmode?: "numeric" | "tel" | "text"; spellcheck?: boolean }
> = (p) => (
  <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
    <FieldHead {...p} />
    <input
      class={`govuk-input${p.width ? ` govuk-input--width-${p.width}` : ""}${p.error ? " govuk-input--error" : ""}`}
      id={p.id}
      name={p.name ?? p.id}
      type={p.type ?? "text"}
      value={p.value ?? ""}
      autocomplete={p.autocomplete ?? "off"}
      inputmode={p.inputmode}
      spellcheck={p.spellcheck}
      aria-describedby={describedBy(p.id, p.hint, p.error)}
    />
  </div>
);

export const Textarea: FC<FieldProps & { rows?: number }> = (p) => (
  <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
    <FieldHead {...p} />
    <textarea
      class={`govuk-textarea${p.error ? " govuk-textarea--error" : ""}`}
      id={p.id}
      name={p.name ?? p.id}
      rows={p.rows ?? 5}
      aria-describedby={describedBy(p.id, p.hint, p.error)}
    >
      {p.value ?? ""}
    </textarea>
  </div>
);

/** Day, month and year boxes; the first box carries the field's id so that the error summary's link lands on it. */
export const DateInput: FC<{
  id: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  value?: { day?: string; month?: string; year?: string };
}> = (p) => (
  <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
    <fieldset class="govuk-fieldset" role="group" aria-describedby={describedBy(p.id, p.hint, p.error)}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{p.legend}</legend>
      {p.hint ? (
        <div id={`${p.id}-hint`} class="govuk-hint">
          {p.hint}
        </div>
      ) : null}
      <ErrorMessage id={p.id} message={p.error} />
      <div class="govuk-date-input">
        {(
          [
            ["day", "Day", "2", p.id],
            ["month", "Month", "2", `${p.id}-month`],
            ["year", "Year", "4", `${p.id}-year`],
          ] as const
        ).map(([part, label, width, id]) => (
          <div class="govuk-date-input__item">
            <div class="govuk-form-group">
              <label class="govuk-label govuk-date-input__label" for={id}>
                {label}
              </label>
              <input
                class={`govuk-input govuk-date-input__input govuk-input--width-${width}${p.error ? " govuk-input--error" : ""}`}
                id={id}
                name={`${p.id}-${part}`}
                type="text"
                inputmode="numeric"
                autocomplete="off"
                value={p.value?.[part] ?? ""}
              />
            </div>
          </div>
        ))}
      </div>
    </fieldset>
  </div>
);

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

export const Radios: FC<{
  id: string;
  name?: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  choices: Choice[];
  value?: string | null | undefined;
  small?: boolean;
}> = (p) => (
  <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
    <fieldset class="govuk-fieldset" aria-describedby={describedBy(p.id, p.hint, p.error)}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{p.legend}</legend>
      {p.hint ? (
        <div id={`${p.id}-hint`} class="govuk-hint">
          {p.hint}
        </div>
      ) : null}
      <ErrorMessage id={p.id} message={p.error} />
      <div class={`govuk-radios${p.small ? " govuk-radios--small" : ""}`} data-module="govuk-radios">
        {p.choices.map((c, i) => {
          const id = i === 0 ? p.id : `${p.id}-${i + 1}`;
          return (
            <div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id={id}
                name={p.name ?? p.id}
                type="radio"
                value={c.value}
                checked={p.value === c.value}
                aria-describedby={c.hint ? `${id}-hint` : undefined}
              />
              <label class="govuk-label govuk-radios__label" for={id}>
                {c.label}
              </label>
              {c.hint ? (
                <div id={`${id}-hint`} class="govuk-hint govuk-radios__hint">
                  {c.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  </div>
);

export const Checkboxes: FC<{
  id: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  choices: Choice[];
  values?: string[];
}> = (p) => (
  <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
    <fieldset class="govuk-fieldset" aria-describedby={describedBy(p.id, p.hint, p.error)}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{p.legend}</legend>
      {p.hint ? (
        <div id={`${p.id}-hint`} class="govuk-hint">
          {p.hint}
        </div>
      ) : null}
      <ErrorMessage id={p.id} message={p.error} />
      <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
        {p.choices.map((c, i) => {
          const id = i === 0 ? p.id : `${p.id}-${i + 1}`;
          return (
            <div class="govuk-checkboxes__item">
              <input
                class="govuk-checkboxes__input"
                id={id}
                name={p.id}
                type="checkbox"
                value={c.value}
                checked={p.values?.includes(c.value) ?? false}
              />
              <label class="govuk-label govuk-checkboxes__label" for={id}>
                {c.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  </div>
);

export const Select: FC<FieldProps & { choices: Choice[] }> = (p) => (
  <div class={`govuk-form-group${p.error ? " govuk-form-group--error" : ""}`}>
    <FieldHead {...p} />
    <select
      class={`govuk-select${p.error ? " govuk-select--error" : ""}`}
      id={p.id}
      name={p.id}
      aria-describedby={describedBy(p.id, p.hint, p.error)}
    >
      {p.choices.map((c) => (
        <option value={c.value} selected={p.value === c.value}>
          {c.label}
        </option>
      ))}
    </select>
  </div>
);

export const Button: FC<PropsWithChildren<{ secondary?: boolean; warning?: boolean; name?: string; value?: string }>> = (p) => (
  <button
    type="submit"
    class={`govuk-button${p.secondary ? " govuk-button--secondary" : ""}${p.warning ? " govuk-button--warning" : ""}`}
    data-module="govuk-button"
    data-prevent-double-click="true"
    name={p.name}
    value={p.value}
  >
    {p.children}
  </button>
);

export const SummaryList: FC<{ rows: [string, Child][]; id?: string }> = ({ rows, id }) => (
  <dl class="govuk-summary-list" id={id}>
    {rows.map(([key, value]) => (
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">{key}</dt>
        <dd class="govuk-summary-list__value">{value}</dd>
      </div>
    ))}
  </dl>
);

export const Table: FC<{ caption?: string; head: string[]; rows: Child[][]; id?: string; numeric?: number[] }> = ({
  caption,
  head,
  rows,
  id,
  numeric = [],
}) => (
  <div class="app-table-wrapper">
    <table class="govuk-table" id={id}>
      {caption ? <caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption> : null}
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {head.map((h, i) => (
            <th scope="col" class={`govuk-table__header${numeric.includes(i) ? " govuk-table__header--numeric" : ""}`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {rows.map((r) => (
          <tr class="govuk-table__row">
            {r.map((cell, i) =>
              i === 0 ? (
                <th scope="row" class="govuk-table__header">
                  {cell}
                </th>
              ) : (
                <td class={`govuk-table__cell${numeric.includes(i) ? " govuk-table__cell--numeric" : ""}`}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

const TAG_COLOURS = {
  grey: "govuk-tag--grey",
  red: "govuk-tag--red",
  green: "govuk-tag--green",
  blue: "govuk-tag--blue",
  yellow: "govuk-tag--yellow",
  orange: "govuk-tag--orange",
  purple: "govuk-tag--purple",
} as const;
export const Tag: FC<PropsWithChildren<{ colour?: keyof typeof TAG_COLOURS }>> = ({ colour, children }) => (
  <strong class={`govuk-tag${colour ? ` ${TAG_COLOURS[colour]}` : ""}`}>{children}</strong>
);

export const Warning: FC<PropsWithChildren> = ({ children }) => (
  <div class="govuk-warning-text">
    <span class="govuk-warning-text__icon" aria-hidden="true">
      !
    </span>
    <strong class="govuk-warning-text__text">
      <span class="govuk-visually-hidden">Warning</span>
      {children}
    </strong>
  </div>
);

export const Banner: FC<PropsWithChildren<{ title: string; success?: boolean }>> = ({ title, success, children }) => (
  <div
    class={`govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`}
    role={success ? "alert" : "region"}
    aria-labelledby="banner-title"
    data-module="govuk-notification-banner"
  >
    <div class="govuk-notification-banner__header">
      <h2 class="govuk-notification-banner__title" id="banner-title">
        {success ? "Success" : "Important"}
      </h2>
    </div>
    <div class="govuk-notification-banner__content">
      <p class="govuk-notification-banner__heading">{title}</p>
      {children}
    </div>
  </div>
);

export const Inset: FC<PropsWithChildren> = ({ children }) => <div class="govuk-inset-text">{children}</div>;

export const BackLink: FC<{ href: string; children: string }> = ({ href, children }) => (
  <a href={href} class="govuk-back-link">
    {children}
  </a>
);

/** A London date and time, as staff read them. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(iso).toLocaleString("en-GB", {
    timeZone: "Europe/London",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A calendar date (YYYY-MM-DD) as staff read it; it is never shifted by time zone. */
export function day(date: string | null | undefined): string {
  if (!date) return "Not known";
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString("en-GB", {
    timeZone: "UTC",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

export const humanise = (code: string) => code.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

const SEX: Record<string, string> = { female: "Female", male: "Male", unknown: "Not known" };
export const sexLabel = (code: string) => SEX[code] ?? humanise(code);

/** A name from its parts, either of which may be missing (an alias, a carer). */
export const fullName = (n: { givenNames?: string | null | undefined; familyName?: string | null | undefined }) =>
  [n.givenNames, n.familyName].filter(Boolean).join(" ");

/** An address on one line; without the postcode where a table gives it a column of its own. */
export const addressText = (
  a: { line1: string; line2?: string | null | undefined; town?: string | null | undefined; postcode?: string | null | undefined },
  withPostcode = true,
) => [a.line1, a.line2, a.town, withPostcode ? a.postcode : null].filter(Boolean).join(", ");

/**
 * Whom an enquiry describes, for a page: the child, or for an unborn child the expectant mother
 * (with the expected date of delivery), as enquiries/enquired.ts reads it.
 */
export function enquiredPerson(e: Pick<EnquiryDetails, "child"> & { unborn: EnquiryDetails["unborn"] }) {
  const { unborn, ...person } = enquirySubject(e);
  return {
    ...person,
    label: unborn ? "Unborn child of" : "Child",
    unborn: unborn ? { expectedDateOfDelivery: e.unborn!.expectedDateOfDelivery } : null,
  };
}
