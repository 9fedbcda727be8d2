import type { childAddresses, childAliases, childPeople, childPersonNames } from "../db/schema";
import { newId } from "../lib/ids";
import { addressKey } from "./address";
import type { AddressInput, AliasInput, PersonInput } from "./children.schemas";
import { familyNameKey, nameKey } from "./names";

/** The rows a child's names and addresses are stored as: one place, for the API and the bulk import alike. */

export function nameColumns(givenNames: string, familyName: string, aliases: AliasInput[]) {
  return { givenKey: nameKey(givenNames), familyKey: familyNameKey(familyName), searchText: searchText(givenNames, familyName, aliases) };
}

/** Every word a search can start on: names, the family name run together, and aliases. */
export function searchText(givenNames: string, familyName: string, aliases: AliasInput[]) {
  const parts = [givenNames, familyName, familyNameKey(familyName)];
  for (const a of aliases) parts.push(a.givenNames ?? "", a.familyName ?? "", a.familyName ? familyNameKey(a.familyName) : "");
  return ` ${[...new Set(parts.map(nameKey).join(" ").split(" ").filter(Boolean))].join(" ")} `;
}

/** A child's own columns (names with their keys, dates, sex, NHS number, household note). */
export function childColumns(c: {
  givenNames: string;
  familyName: string;
  aliases: AliasInput[];
  dateOfBirth?: string | null | undefined;
  expectedDateOfDelivery?: string | null | undefined;
  sex?: "female" | "male" | "unknown" | null | undefined;
  nhsNumber?: string | null | undefined;
  householdNote?: string | null | undefined;
}) {
  return {
    givenNames: c.givenNames,
    familyName: c.familyName,
    ...nameColumns(c.givenNames, c.familyName, c.aliases),
    dateOfBirth: c.dateOfBirth ?? null,
    expectedDateOfDelivery: c.expectedDateOfDelivery ?? null,
    sex: c.sex ?? null,
    nhsNumber: c.nhsNumber ?? null,
    householdNote: c.householdNote ?? null,
  };
}

export const aliasRows = (childId: string, aliases: AliasInput[], dateOfBirth: string | null): (typeof childAliases.$inferInsert)[] =>
  aliases.map((a) => ({
    dateOfBirth,
    id: newId(),
    childId,
    givenNames: a.givenNames ?? null,
    familyName: a.familyName ?? null,
    givenKey: a.givenNames ? nameKey(a.givenNames) : null,
    familyKey: a.familyName ? familyNameKey(a.familyName) : null,
  }));

export const addressRows = (childId: string, addresses: AddressInput[]): (typeof childAddresses.$inferInsert)[] =>
  addresses.map((a) => ({
    id: newId(),
    childId,
    line1: a.line1,
    line2: a.line2 ?? null,
    town: a.town ?? null,
    postcode: a.postcode ?? null,
    addressKey: addressKey(a.line1, a.postcode ?? null, a.line2),
    fromDate: a.from ?? null,
    toDate: a.to ?? null,
  }));

/** A child's people as rows: each person, and each name they go by keyed for the matcher. */
export function peopleRows(childId: string, people: PersonInput[]) {
  const persons: (typeof childPeople.$inferInsert)[] = [];
  const names: (typeof childPersonNames.$inferInsert)[] = [];
  people.forEach((p, position) => {
    const id = newId();
    const aliases = p.aliases.map((a) => ({ givenNames: a.givenNames ?? null, familyName: a.familyName ?? null }));
    persons.push({
      id,
      childId,
      position,
      givenNames: p.givenNames,
      familyName: p.familyName,
      aliases,
      dateOfBirth: p.dateOfBirth ?? null,
      relationship: p.relationship,
      livesWithChild: p.livesWithChild,
    });
    const seen = new Set<string>();
    for (const n of [
      { givenNames: p.givenNames, familyName: p.familyName },
      ...aliases.map((a) => ({ givenNames: a.givenNames ?? p.givenNames, familyName: a.familyName ?? p.familyName })),
    ]) {
      const givenKey = nameKey(n.givenNames);
      const familyKey = familyNameKey(n.familyName);
      if (seen.has(`${givenKey}|${familyKey}`)) continue;
      seen.add(`${givenKey}|${familyKey}`);
      names.push({
        id: newId(),
        personId: id,
        childId,
        givenKey,
        familyKey,
        dateOfBirth: p.dateOfBirth ?? null,
        relationship: p.relationship,
      });
    }
  });
  return { persons, names };
}
