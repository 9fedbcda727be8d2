import { z } from "@hono/zod-openapi";

/**
 * The bounds of the register's fields, in one place: a request's field is refused past its
 * bound (422 naming the field), and the same bound documents what an answer can hold, since
 * everything an answer shows came in through a request or an import checked against it.
 * docs/api-additions.md ("The contract's lint") lists them.
 */
export const MAX = {
  /** Any id this service hands out (UUIDs) or takes from a case system (`externalId`). */
  id: 100,
  /** An authority's code: `^[A-Z][A-Z0-9_]{1,19}$`. */
  authority: 20,
  /** A person's given names or family name, an agency's or an authority's name, a team. */
  name: 200,
  /** A line of an address. */
  line: 200,
  town: 100,
  /** A postcode as sent ("st16 2lh", spaced any way); answered normalised, at most 8 ("ST16 2LH"). */
  postcodeInput: 16,
  postcode: 8,
  /** A telephone number as sent; answered in E.164 (at most 16). */
  phoneInput: 40,
  phone: 16,
  /** A relationship, a profession's code or label. */
  label: 100,
  /** A login's `sub`, as the token's claims allow. */
  userId: 200,
  /** A reason, advice given, a note: free text. */
  text: 4000,
  /** A move-in outcome's reason, a closure day's reason. */
  shortText: 2000,
  /** An ISO 8601 instant as the service writes them: `2026-11-23T10:00:00.000Z`. */
  instant: 30,
} as const;

/** Free text of at most `max` characters, as an answer shows it. */
export const Text = (max: number) => z.string().max(max);

/** An id this service made: every one is a UUID (version 7, time-ordered: src/lib/ids.ts). */
export const IdOut = z.string().max(MAX.id).openapi({ format: "uuid", example: "0192f6a4-7c1e-7c3a-9d2b-5e8f4a1b2c3d" });
/** An id a case system gave (`externalId`): any text, kept as given. */
export const ExternalIdOut = z.string().max(MAX.id);
export const AuthorityCodeOut = z.string().max(MAX.authority).openapi({ pattern: "^[A-Z][A-Z0-9_]{1,19}$", example: "STAFFS" });
export const NameOut = Text(MAX.name);
/** As the service normalises every postcode it takes: outward code, one space, inward code. */
export const PostcodeOut = z.string().max(MAX.postcode).openapi({ pattern: "^[A-Z]{1,2}\\d[A-Z\\d]? \\d[A-Z]{2}$", example: "ST16 2LH" });
export const PhoneOut = z
  .string()
  .max(MAX.phone)
  .openapi({ pattern: "^\\+[1-9]\\d{1,14}$", example: "+441785277041", description: "E.164" });
export const UserIdOut = Text(MAX.userId);
export const DateOut = z.string().max(10).openapi({ format: "date", example: "2015-03-02" });
export const InstantOut = z.string().max(MAX.instant).openapi({ format: "date-time", example: "2026-11-23T10:00:00.000Z" });
/** An enquiry's reference: `ENQ-` and at least six digits. */
export const ReferenceOut = z.string().max(20).openapi({ pattern: "^ENQ-\\d{6,15}$", example: "ENQ-000123" });

/** A count or other whole number that fits 32 bits (OWASP API4: integers bounded, with a format). */
export const int32 = (min = 0, max = 2147483647) => z.number().int().min(min).max(max).openapi({ format: "int32" });

/**
 * One of `values`, as an answer shows it: documented as the enum, typed as the string the
 * service's views carry (their types come from the database's columns).
 */
export const enumOut = (values: readonly string[]) =>
  z
    .string()
    .max(Math.max(...values.map((v) => v.length)))
    .openapi({ enum: [...values] });
/** As `enumOut`, or null. */
export const enumOutOrNull = (values: readonly string[]) =>
  z
    .string()
    .max(Math.max(...values.map((v) => v.length)))
    .nullable()
    .openapi({ type: ["string", "null"], enum: [...values, null] });
