import type { Caller } from "./app";

let n = 0;
/** Unique values so tests in one file never collide. */
export const unique = (prefix: string) => `${prefix}-${++n}-${Math.random().toString(36).slice(2, 7)}`;

export async function staffTokens(t: Caller, authority: string) {
  return {
    dm: await t.token({ sub: `dm-${authority}`, name: "Dee Manager", roles: ["designated_manager"], authorities: [authority] }),
    auditor: await t.token({ sub: `aud-${authority}`, name: "Audrey Auditor", roles: ["auditor"], authorities: [authority] }),
    duty: await t.token({ sub: `duty-${authority}`, name: "Eddie Duty", roles: ["duty_officer"], authorities: [authority] }),
  };
}

export async function createAuthority(t: Caller, dm: string, code: string, extra: Record<string, unknown> = {}) {
  const res = await t.call("POST", "/v1/authorities", {
    token: dm,
    body: { code, name: `${code} County Council`, firstResponsePhone: "0121 496 0000", ...extra },
  });
  if (res.status !== 201) throw new Error(`authority: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const childBody = (authority: string, extra: Record<string, unknown> = {}) => ({
  authority,
  externalId: unique("LCS"),
  givenNames: "Amy Louise",
  familyName: "Smith",
  aliases: [{ givenNames: "Amy", familyName: "Jones" }],
  dateOfBirth: "2015-03-02",
  sex: "female",
  addresses: [{ line1: "12 High Street", town: "Stafford", postcode: "ST16 2LH", from: "2020-01-01", to: null }],
  householdNote: null,
  ...extra,
});

export async function createChild(t: Caller, dm: string, authority: string, extra: Record<string, unknown> = {}) {
  const res = await t.call("POST", "/v1/children", { token: dm, body: childBody(authority, extra) });
  if (res.status !== 201) throw new Error(`child: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createWorker(t: Caller, dm: string, authority: string, extra: Record<string, unknown> = {}) {
  const res = await t.call("POST", "/v1/workers", {
    token: dm,
    body: { authority, name: "Sam Patel", team: "North", phone: "0121 496 0001", ...extra },
  });
  if (res.status !== 201) throw new Error(`worker: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
