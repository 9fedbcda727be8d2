import { expect } from "vitest";
import type { Caller } from "./app";
import type { Setup } from "./enquiry";

/** A child on Birmingham's plan moving in to `authority` (`POST /v1/moves-in`). */
export const moveInBody = (authority: string, child: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  authority,
  child: { addresses: [], ...child },
  moveDate: "2026-12-14",
  status: "actual",
  originatingAuthority: { name: "Birmingham City Council", custodianPhone: "0121 303 1888" },
  originatingKeyWorker: { name: "Priya Shah", phone: "0121 303 2000" },
  plan: { startDate: "2026-09-01", categories: ["neglect"] },
  ...extra,
});

export async function moveIn(t: Caller, token: string, body: unknown) {
  const res = await t.call("POST", "/v1/moves-in", { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; childId: string; planId: string };
}

/** A move out of `from`'s child: to another authority of the deployment when `receiving.code` is given. */
export async function moveOut(
  t: Caller,
  from: Setup,
  childId: string,
  receiving: { name: string; code?: string } = { name: "Derby City Council" },
  moveDate = "2026-12-12",
) {
  const res = await t.call("POST", `/v1/children/${childId}/moves-out`, {
    token: from.tokens.dm,
    body: {
      moveDate,
      newAddress: { line1: "9 Abbey Road", town: "Derby", postcode: "de22 1aa" },
      receivingAuthority: { custodianPhone: "01332 640000", ...receiving },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

/** A handover within the deployment: `from` moves the child out to `to`, whose manager (or `token`) records the outcome. */
export async function handOver(
  t: Caller,
  from: Setup,
  to: Setup,
  childId: string,
  outcome: { outcome: string; decidedOn: string },
  opts: { moveDate?: string; token?: string } = {},
) {
  const token = opts.token ?? to.tokens.dm;
  await moveOut(t, from, childId, { name: `${to.code} County Council`, code: to.code }, opts.moveDate);
  const due = (await t.call("GET", "/v1/deadlines", { token })).body.items.find((d: { childId: string }) => d.childId === childId);
  const done = await t.call("POST", `/v1/moves-in/${due.moveId}/outcome`, { token, body: outcome });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return { moveInId: due.moveId as string };
}
