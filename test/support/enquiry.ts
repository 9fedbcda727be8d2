import type { Caller } from "./app";
import { createAuthority, createChild, createWorker } from "./fixtures";

/**
 * One authority's register for enquiry tests: key workers Sam Patel and Jo Brennan, a police
 * force and a hospital with recognised numbers, and the people who use the service.
 */
export async function setupAuthority(t: Caller, code: string) {
  const dm = await t.token({ sub: `dm-${code}`, name: "Dee Manager", roles: ["designated_manager"], authorities: [code] });
  await createAuthority(t, dm, code, {
    firstResponsePhone: "0121 496 0000",
    officeHours: { timezone: "Europe/London", days: [1, 2, 3, 4, 5], open: "08:45", close: "17:15" },
  });
  const sam = await createWorker(t, dm, code, { name: "Sam Patel", team: "North", phone: "0121 496 0001", userId: `kw-sam-${code}` });
  const jo = await createWorker(t, dm, code, { name: "Jo Brennan", team: "South", phone: "0121 496 0002", userId: `kw-jo-${code}` });
  const police = `${code} Police`;
  const hospital = `${code} Hospital`;
  const school = `${code} Academy`;
  await t.call("POST", "/v1/agencies", { token: dm, body: { name: police, recognisedNumbers: ["0121 496 0100"] } });
  await t.call("POST", "/v1/agencies", { token: dm, body: { name: hospital, recognisedNumbers: ["0113 496 0200"] } });
  await t.call("POST", "/v1/agencies", { token: dm, body: { name: school, recognisedNumbers: ["020 7946 0300"] } });
  const tokens = {
    dm,
    edt: await t.token({ sub: `edt-${code}`, name: "Eddie Duty", roles: ["duty_officer"], authorities: [code] }),
    edt2: await t.token({ sub: `edt2-${code}`, name: "Erin Duty", roles: ["duty_officer"], authorities: [code] }),
    sam: await t.token({ sub: `kw-sam-${code}`, name: "Sam Patel", roles: ["key_worker"], authorities: [code] }),
    jo: await t.token({ sub: `kw-jo-${code}`, name: "Jo Brennan", roles: ["key_worker"], authorities: [code] }),
    auditor: await t.token({ sub: `aud-${code}`, name: "Audrey", roles: ["auditor"], authorities: [code] }),
    sergeant: await t.token({
      sub: `sgt-${code}`,
      name: "Sgt Kim Rowe",
      roles: ["enquirer"],
      profession: "police_sergeant",
      agency: police,
    }),
    nurse: await t.token({
      sub: `nurse-${code}`,
      name: "Nurse Ada Jones",
      roles: ["enquirer"],
      profession: "registered_nurse",
      agency: hospital,
    }),
    head: await t.token({ sub: `head-${code}`, name: "Mr Head", roles: ["enquirer"], profession: "head_teacher", agency: school }),
  };
  return { code, sam, jo, police, hospital, school, tokens };
}

export type Setup = Awaited<ReturnType<typeof setupAuthority>>;

/** A child on a plan for neglect with an open case held by Sam Patel, at 12 High Street. */
export async function planChild(t: Caller, s: Setup, extra: Record<string, unknown> = {}) {
  const child = await createChild(t, s.tokens.dm, s.code, {
    givenNames: "Amelia Rose",
    familyName: "Hartley",
    aliases: [],
    dateOfBirth: "2016-04-09",
    addresses: [{ line1: "12 High Street", town: "Stafford", postcode: "ST16 2LH", from: "2019-01-01", to: null }],
    householdNote: "Mother's partner is subject to a non-molestation order.",
    ...extra,
  });
  await t.call("POST", `/v1/children/${child.id}/cases`, {
    token: s.tokens.dm,
    body: { type: "child_protection", openedOn: "2026-05-20", keyWorkerId: s.sam.id },
  });
  await t.call("POST", `/v1/children/${child.id}/plans`, {
    token: s.tokens.dm,
    body: { startDate: "2026-06-01", categories: ["neglect"] },
  });
  return child;
}

export const enquiryBody = (authority: string, child: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  authority,
  child: { aliases: [], ...child },
  addresses: [],
  carers: [],
  reason: "Concern raised at custody",
  callbackNumber: "0121 496 0100",
  ...extra,
});

export async function enquire(t: Caller, token: string, body: unknown) {
  const res = await t.call("POST", "/v1/enquiries", { token, body });
  if (res.status !== 201) throw new Error(`enquiry: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    id: string;
    reference: string;
    status: string;
    receivedAt: string;
    outOfHours: boolean;
    callbackNumberRecognised: boolean;
    alsoCheckedWith: { authority: string; id: string; reference: string }[];
    notCheckedWith: { authority: string; reason: string }[];
  };
}

/** The queue item of an enquiry, as the duty officer sees it. */
export async function queueItem(t: Caller, token: string, enquiryId: string, status = "pending") {
  const res = await t.call("GET", `/v1/callbacks?status=${status}&limit=1000`, { token });
  return res.body.items.find((i: { id: string }) => i.id === enquiryId);
}
