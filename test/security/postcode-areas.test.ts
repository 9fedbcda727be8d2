import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";

/**
 * An enquiry with a postcode in an authority's areas is copied, with the child's details, to
 * that authority's queue. So a manager must not be able to list another authority's postcodes
 * (and be sent its enquiries), and every authority the change touches must see it audited.
 */
let t: TestApp;
let staffs: Setup;
let dorset: Setup;
let bcp: Setup;
const put = (s: Setup, prefixes: string[]) =>
  t.call("PUT", `/v1/authorities/${s.code}/postcode-areas`, { token: s.tokens.dm, body: { prefixes } });
const areas = async (s: Setup) => (await t.call("GET", `/v1/authorities/${s.code}/postcode-areas`, { token: s.tokens.dm })).body.prefixes;

// A fresh register for each test: they change the areas the others read, and count queue items and audit entries.
beforeEach(async () => {
  t = await createTestApp({ now: "2026-11-24T02:00:00Z" });
  staffs = await setupAuthority(t, "STAFFS");
  dorset = await setupAuthority(t, "DORSET");
  bcp = await setupAuthority(t, "BCP");
  expect((await put(staffs, ["ST", "WS15"])).status).toBe(200);
  expect((await put(dorset, ["DT", "BH20"])).status).toBe(200);
  expect((await put(bcp, ["BH1", "BH8"])).status).toBe(200);
});
afterEach(() => t?.close());

describe("a postcode area or district belongs to one authority", () => {
  it("claiming another authority's prefix, or one inside or around it, is 409 naming the owner, and changes nothing", async () => {
    for (const [prefixes, owner, index] of [
      [["DT", "ST"], "STAFFS", 1],
      [["DT", "ST16"], "STAFFS", 1],
      [["WS"], "STAFFS", 0],
      [["BH"], "BCP", 0],
      [["BH8"], "BCP", 0],
    ] as const) {
      const res = await put(dorset, [...prefixes]);
      expectProblem(res, 409);
      expect(res.body.detail).toContain(owner);
      expect(res.body.owners).toEqual([owner]);
      expect(res.body.errors[0].path).toBe(`prefixes.${index}`);
      expect(await areas(dorset)).toEqual(["BH20", "DT"]);
    }
    expect(await areas(staffs)).toEqual(["ST", "WS15"]);
    expect(await areas(bcp)).toEqual(["BH1", "BH8"]);
  });

  it("a refused claim copies nothing: a Staffordshire enquiry stays out of Dorset's queue", async () => {
    expectProblem(await put(dorset, ["ST"]), 409);
    await planChild(t, staffs);
    await enquire(
      t,
      staffs.tokens.sergeant,
      enquiryBody(
        "STAFFS",
        { givenNames: "Amelia", familyName: "Hartley", dateOfBirth: "2016-04-09" },
        { addresses: [{ line1: "12 High Street", postcode: "ST16 2LH" }] },
      ),
    );
    expect((await t.call("GET", "/v1/callbacks?status=pending", { token: dorset.tokens.edt })).body.items).toEqual([]);
    expect((await t.call("GET", "/v1/callbacks?status=pending", { token: staffs.tokens.edt })).body.items).toHaveLength(1);
  });

  it("two managers claiming the same free area at once: one gets it, the other 409", async () => {
    const [a, b] = await Promise.all([put(dorset, ["BH20", "DT", "LL"]), put(bcp, ["BH1", "BH8", "LL1"])]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const holders = [...(await areas(dorset)), ...(await areas(bcp))].filter((p: string) => p.startsWith("LL"));
    expect(holders).toHaveLength(1);
    expect((await put(a.status === 200 ? dorset : bcp, a.status === 200 ? ["BH20", "DT"] : ["BH1", "BH8"])).status).toBe(200);
  });

  it("districts of one area may be shared out, and an area's letters are all its letters (B is not BH)", async () => {
    expect((await put(dorset, ["BH20", "BH21", "DT", "B"])).body).toEqual({ prefixes: ["B", "BH20", "BH21", "DT"] });
    expect((await put(dorset, ["BH20", "DT"])).status).toBe(200);
  });

  it("a change is audited under the authority changed and every authority listing postcodes in the same areas", async () => {
    expect((await put(dorset, ["BH20", "BH21", "DT"])).status).toBe(200);
    const seen = async (s: Setup) =>
      (await t.call("GET", "/v1/audit?limit=1000", { token: s.tokens.auditor })).body.items.filter(
        (e: { action: string; target: { id: string } | null; detail: { prefixes?: string[] } | null }) =>
          e.action === "authority.postcode_areas.update" && e.target?.id === "DORSET" && e.detail?.prefixes?.join() === "BH20,BH21,DT",
      );
    expect(await seen(dorset)).toHaveLength(1);
    expect(await seen(bcp)).toHaveLength(1);
    // Staffordshire lists nothing in BH or DT: not its business.
    expect(await seen(staffs)).toHaveLength(0);
  });
});
