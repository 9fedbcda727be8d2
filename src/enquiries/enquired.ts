import type { EnquiryDetails } from "../db/schema";
import type { EnquiredChild } from "../matching/match";
import { addressKey } from "../register/address";

/**
 * Whom the enquiry's names and date of birth are of: the child, or for an unborn child the
 * expectant mother (the register finds the unborn child's record through her).
 */
export function enquirySubject(details: Pick<EnquiryDetails, "child" | "unborn">) {
  if (details.child) return { ...details.child, unborn: false };
  const mother = details.unborn!.mother;
  return {
    givenNames: mother.givenNames,
    familyName: mother.familyName,
    aliases: mother.aliases,
    dateOfBirth: mother.dateOfBirth,
    nhsNumber: null,
    sex: null,
    unborn: true,
  };
}

export function enquiredChild(
  details: Pick<EnquiryDetails, "child" | "unborn" | "addresses"> & { carers?: EnquiryDetails["carers"] },
): EnquiredChild {
  const subject = enquirySubject(details);
  return {
    ...(subject.unborn ? { unborn: true } : {}),
    carers: (details.carers ?? []).flatMap((c) =>
      c.givenNames && c.familyName ? [{ givenNames: c.givenNames, familyName: c.familyName, dateOfBirth: c.dateOfBirth ?? null }] : [],
    ),
    givenNames: subject.givenNames,
    familyName: subject.familyName,
    aliases: subject.aliases,
    dateOfBirth: subject.dateOfBirth,
    nhsNumber: subject.nhsNumber,
    addressKeys: details.addresses.map((a) => addressKey(a.line1, a.postcode ?? null, a.line2)).filter((k): k is string => k !== null),
  };
}
