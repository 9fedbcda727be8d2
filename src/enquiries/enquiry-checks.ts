/**
 * The checks an enquiry passes before anything is matched or written (domain.md, "the
 * enquiry, step by step", steps 1-2): the authority asked, the enquirer's eligibility (seed 004
 * §58), the other authorities it is checked with (the Pan Dorset note), possible dates, and the
 * contact sheet as it will be kept.
 */
import { authorities, type EnquiryDetails } from "../db/schema";
import type { Queryable } from "../db/store";
import type { Ctx } from "../domain/ctx";
import { implausibleDelivery } from "../lib/dates";
import { AppError, invalid } from "../lib/errors";
import { formatForPeople } from "../lib/phone";
import { findAuthority } from "../register/authorities.service";
import { authorityForPostcode, postcodeAreasOfDeployment } from "../register/postcode-areas.service";
import { eligibleFor, professionLabel } from "../register/professions";
import type { EnquiryCreate } from "./enquiries.schemas";

/** The authority an enquiry is for: the one named, or the deployment's only one. */
export async function resolveAuthority(q: Queryable, code: string | undefined) {
  if (code) {
    const row = await findAuthority(q, code.toUpperCase());
    if (!row)
      throw invalid(`Authority ${code} is not one this service holds.`, [{ path: "authority", message: "is not a known authority" }]);
    return row;
  }
  const rows = await q.select().from(authorities).limit(2);
  if (rows.length !== 1)
    throw invalid("Name the authority you are enquiring of.", [
      { path: "authority", message: "is required: this service holds several authorities" },
    ]);
  return rows[0]!;
}

/**
 * The Pan Dorset note: the other authorities of this deployment the enquiry is checked
 * against — those the enquirer names, and those whose postcode areas hold an address given.
 * An authority whose list of eligible professions leaves the enquirer out is not checked, and
 * the enquirer is told so.
 */
export async function otherAuthorities(ctx: Ctx, primary: string, named: string[], addresses: EnquiryDetails["addresses"]) {
  const found = new Map<string, typeof authorities.$inferSelect>();
  for (const [i, raw] of named.entries()) {
    const row = await findAuthority(ctx.store.read, raw.toUpperCase());
    if (!row)
      throw invalid(`Authority ${raw.toUpperCase()} is not one this service holds.`, [
        { path: `alsoAuthorities.${i}`, message: "is not a known authority" },
      ]);
    found.set(row.code, row);
  }
  const codes = new Set(found.keys());
  const postcodes = addresses.map((a) => a.postcode).filter((p): p is string => !!p);
  if (postcodes.length) {
    const areas = await postcodeAreasOfDeployment(ctx.store.read);
    for (const p of postcodes) {
      const code = authorityForPostcode(p, areas);
      if (code) codes.add(code);
    }
  }
  codes.delete(primary);
  const checked: (typeof authorities.$inferSelect)[] = [];
  const refused: { authority: string; reason: string }[] = [];
  for (const code of [...codes].sort()) {
    const row = found.get(code) ?? (await findAuthority(ctx.store.read, code))!;
    if (ctx.principal.profession && eligibleFor(row.eligibleProfessions).includes(ctx.principal.profession)) checked.push(row);
    else
      refused.push({
        authority: code,
        reason: `${row.name} does not take enquiries from your profession; call its First Response service on ${formatForPeople(row.firstResponsePhone)}.`,
      });
  }
  return { checked, refused };
}

/** Seed 004 §58: only the eligible professions may consult the register; anyone else is pointed to the front door. */
export function assertEligible(ctx: Ctx, authority: typeof authorities.$inferSelect) {
  const profession = ctx.principal.profession;
  if (profession && eligibleFor(authority.eligibleProfessions).includes(profession)) return profession;
  throw new AppError(
    "forbidden",
    `${profession ? `${professionLabel(profession)}s are` : "Your login names no profession, so you are"} not among those who may consult the child protection register of ${authority.name}. If you are worried about a child, contact the First Response service on ${formatForPeople(authority.firstResponsePhone)}.`,
    {
      target: { type: "authority", id: authority.code },
      auditDetail: { profession, agency: ctx.principal.agency, name: ctx.principal.name },
    },
  );
}

/** The present address: those marked current, or else the first listed (the form asks for it first). */
function withCurrent(addresses: EnquiryCreate["addresses"]): EnquiryDetails["addresses"] {
  const anyMarked = addresses.some((a) => a.current === true);
  return addresses.map((a, i) => ({ ...a, current: anyMarked ? a.current === true : i === 0 }));
}

/** Dates the enquirer could not know: a birth to come, a delivery no pregnancy now could have. */
export function assertPossibleDates(input: EnquiryCreate, today: string) {
  if (input.child?.dateOfBirth && input.child.dateOfBirth > today)
    throw invalid("The date of birth is in the future.", [{ path: "child.dateOfBirth", message: "must not be in the future" }]);
  if (input.unborn?.mother.dateOfBirth && input.unborn.mother.dateOfBirth > today)
    throw invalid("The mother's date of birth is in the future.", [
      { path: "unborn.mother.dateOfBirth", message: "must not be in the future" },
    ]);
  const delivery = input.unborn?.expectedDateOfDelivery ? implausibleDelivery(input.unborn.expectedDateOfDelivery, today) : null;
  if (delivery)
    throw invalid("The expected date of delivery is not possible for a pregnancy now.", [
      { path: "unborn.expectedDateOfDelivery", message: delivery },
    ]);
  const carerInFuture = input.carers.findIndex((c) => c.dateOfBirth && c.dateOfBirth > today);
  if (carerInFuture >= 0)
    throw invalid("A carer's date of birth is in the future.", [
      { path: `carers.${carerInFuture}.dateOfBirth`, message: "must not be in the future" },
    ]);
}

/** The contact sheet as kept: what the enquirer gave, with the present address settled. */
export function contactSheet(input: EnquiryCreate): EnquiryDetails {
  return {
    child: input.child
      ? {
          givenNames: input.child.givenNames,
          familyName: input.child.familyName,
          aliases: input.child.aliases,
          dateOfBirth: input.child.dateOfBirth ?? null,
          sex: input.child.sex ?? null,
          nhsNumber: input.child.nhsNumber ?? null,
        }
      : null,
    unborn: input.unborn
      ? {
          mother: { ...input.unborn.mother, dateOfBirth: input.unborn.mother.dateOfBirth ?? null },
          expectedDateOfDelivery: input.unborn.expectedDateOfDelivery ?? null,
        }
      : null,
    addresses: withCurrent(input.addresses),
    carers: input.carers,
    reason: input.reason,
  };
}
