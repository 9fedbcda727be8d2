/**
 * The enquiries both service benchmarks send (npm run bench, npm run bench:profile): the
 * synthetic enquiries split into known, possible and not known, mixed 60/20/20, as request
 * bodies from an agency whose number is recognised.
 */
import { CLEAN, type EnquirySpec, NEAR } from "../synth/enquiries";

export const AGENCY = "Synthetic Constabulary";
export const AGENCY_NUMBER = "0121 496 0100";

export function byOutcome(specs: EnquirySpec[]) {
  const of = (kinds: readonly string[]) => specs.filter((s) => kinds.includes(s.kind));
  return { known: of(CLEAN), near: of(NEAR), unknown: specs.filter((s) => s.kind.startsWith("unlisted")) };
}

/** `count` enquiries, three known, one possible and one not known in every five. */
export function mixed60_20_20(specs: EnquirySpec[], count: number): EnquirySpec[] {
  const { known, near, unknown } = byOutcome(specs);
  const out: EnquirySpec[] = [];
  for (let i = 0, k = 0, p = 0, u = 0; i < count; i++) {
    const r = i % 5;
    out.push((r < 3 ? known[k++ % known.length] : r === 3 ? near[p++ % near.length] : unknown[u++ % unknown.length])!);
  }
  return out;
}

export const enquiryBodyOf = (s: EnquirySpec, authority: string) =>
  JSON.stringify({
    authority,
    child: {
      givenNames: s.child.givenNames,
      familyName: s.child.familyName,
      aliases: s.child.aliases,
      ...(s.child.dateOfBirth ? { dateOfBirth: s.child.dateOfBirth } : {}),
    },
    addresses: s.addresses,
    carers: [],
    reason: "Child brought to the emergency department with an unexplained injury",
    callbackNumber: AGENCY_NUMBER,
  });
