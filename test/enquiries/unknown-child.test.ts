import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, queueItem, type Setup, setupAuthority } from "../support/enquiry";

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T14:00:00Z" });
  s = await setupAuthority(t, "UNK");
});
afterAll(() => t.close());

const considerations = async (status = "open") =>
  (await t.call("GET", `/v1/cin-considerations?status=${status}`, { token: s.tokens.dm })).body.items;
// Each test enquires about a child of its own family name and reads only that child's
// considerations, so the tests pass in any order and alone.
const considerationsOf = async (familyName: string, status = "open") =>
  (await considerations(status)).filter(
    (c: { enquiries: { child: { familyName: string } | null }[] }) => c.enquiries[0]?.child?.familyName === familyName,
  );
const ofRefs = (c: { enquiries: { reference: string }[] }) => c.enquiries.map((e) => e.reference);

describe("enquiries about a child not known to CSC", () => {
  it("first, second and third enquiries from different agencies: one consideration holding all three; later enquirers are told of the earlier ones", async () => {
    const child = { givenNames: "Kai", familyName: "Unknown", dateOfBirth: "2020-02-02" };
    const first = await enquire(t, s.tokens.sergeant, enquiryBody("UNK", child, { reason: "Seen in a car at 3am" }));
    const a1 = (await queueItem(t, s.tokens.edt, first.id)).answer;
    expect(a1).toMatchObject({ match: "not_known", earlierEnquiries: [], child: null });
    expect(a1.advice).toMatch(/not known/);
    expect(await considerationsOf("Unknown")).toEqual([]);

    const second = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("UNK", { ...child, givenNames: "KAI" }, { callbackNumber: "0113 496 0200", reason: "Burn on arm" }),
    );
    const a2 = (await queueItem(t, s.tokens.edt, second.id)).answer;
    expect(a2.earlierEnquiries).toEqual([
      { reference: first.reference, receivedAt: first.receivedAt, agency: "UNK Police", profession: "police_sergeant" },
    ]);
    let open = await considerationsOf("Unknown");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ authority: "UNK", status: "open", decision: null, decidedAt: null });
    expect(ofRefs(open[0])).toEqual([first.reference, second.reference]);
    expect(open[0].enquiries[1]).toMatchObject({
      enquirer: { name: "Nurse Ada Jones", profession: "registered_nurse", agency: "UNK Hospital" },
      child: { givenNames: "KAI" },
      reason: "Burn on arm",
    });

    const third = await enquire(t, s.tokens.head, enquiryBody("UNK", child, { callbackNumber: "020 7946 0300" }));
    const a3 = (await queueItem(t, s.tokens.edt, third.id)).answer;
    expect(a3.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([first.reference, second.reference]);
    open = await considerationsOf("Unknown");
    expect(open).toHaveLength(1);
    expect(ofRefs(open[0])).toEqual([first.reference, second.reference, third.reference]);

    // The designated manager decides; the next enquiry opens a new consideration holding the earlier ones too.
    const decided = await t.call("POST", `/v1/cin-considerations/${open[0].id}/decision`, {
      token: s.tokens.dm,
      body: { decision: "referred", note: "Referred to the MASH" },
    });
    expect(decided.body).toMatchObject({
      status: "decided",
      decision: "referred",
      note: "Referred to the MASH",
      decidedAt: "2026-11-23T14:00:00.000Z",
    });
    expectProblem(
      await t.call("POST", `/v1/cin-considerations/${open[0].id}/decision`, {
        token: s.tokens.dm,
        body: { decision: "child_in_need", note: "again" },
      }),
      409,
    );
    expect(await considerationsOf("Unknown")).toEqual([]);
    const fourth = await enquire(t, s.tokens.sergeant, enquiryBody("UNK", child));
    const reopened = await considerationsOf("Unknown");
    expect(reopened).toHaveLength(1);
    expect(reopened[0].id).not.toBe(open[0].id);
    expect(ofRefs(reopened[0])).toEqual([first.reference, second.reference, third.reference, fourth.reference]);
    expect((await considerationsOf("Unknown", "decided")).map((c: { id: string }) => c.id)).toEqual([open[0].id]);
  });

  it("an enquiry without a date of birth is the same child when the name and an address agree", async () => {
    const first = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody(
        "UNK",
        { givenNames: "Mia", familyName: "Nodob", dateOfBirth: "2019-09-09" },
        { addresses: [{ line1: "8 Park Road", postcode: "ST16 3HZ" }] },
      ),
    );
    const second = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody(
        "UNK",
        { givenNames: "Mia", familyName: "Nodob" },
        { addresses: [{ line1: "8 Park Rd", postcode: "st163hz" }], callbackNumber: "0113 496 0200" },
      ),
    );
    expect((await queueItem(t, s.tokens.edt, second.id)).answer.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([
      first.reference,
    ]);
  });

  it("a different date of birth, or a different name, is another child", async () => {
    await enquire(t, s.tokens.sergeant, enquiryBody("UNK", { givenNames: "Zara", familyName: "Other", dateOfBirth: "2018-01-01" }));
    const otherDob = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("UNK", { givenNames: "Zara", familyName: "Other", dateOfBirth: "2018-01-02" }, { callbackNumber: "0113 496 0200" }),
    );
    const otherName = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("UNK", { givenNames: "Zoe", familyName: "Other", dateOfBirth: "2018-01-01" }, { callbackNumber: "0113 496 0200" }),
    );
    expect((await queueItem(t, s.tokens.edt, otherDob.id)).answer.earlierEnquiries).toEqual([]);
    expect((await queueItem(t, s.tokens.edt, otherName.id)).answer.earlierEnquiries).toEqual([]);
  });

  it("20 enquiries arriving together about the same unknown child end in exactly one consideration holding all 20", async () => {
    const enquirers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.token({ sub: `many-${i}`, name: `Officer ${i}`, roles: ["enquirer"], profession: "police_sergeant", agency: "UNK Police" }),
      ),
    );
    const results = await Promise.all(
      enquirers.map((tok) =>
        t.call("POST", "/v1/enquiries", {
          token: tok,
          body: enquiryBody("UNK", { givenNames: "Crowd", familyName: "Child", dateOfBirth: "2021-06-01" }),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.reference)).size).toBe(20);
    const crowd = await considerationsOf("Child");
    expect(crowd).toHaveLength(1);
    expect(crowd[0].enquiries).toHaveLength(20);
    expect(new Set(ofRefs(crowd[0]))).toEqual(new Set(results.map((r) => r.body.reference)));
  });

  it("considerations belong to the designated manager of the authority", async () => {
    const other = await t.token({ sub: "dm-else", roles: ["designated_manager"], authorities: ["ELSE"] });
    expect((await t.call("GET", "/v1/cin-considerations", { token: other })).body.items).toEqual([]);
    const child = { givenNames: "Owen", familyName: "Ownership", dateOfBirth: "2017-07-07" };
    await enquire(t, s.tokens.sergeant, enquiryBody("UNK", child));
    await enquire(t, s.tokens.nurse, enquiryBody("UNK", child, { callbackNumber: "0113 496 0200" }));
    const [c] = await considerationsOf("Ownership");
    expect(c).toBeDefined();
    expectProblem(
      await t.call("POST", `/v1/cin-considerations/${c.id}/decision`, { token: other, body: { decision: "not_child_in_need", note: "x" } }),
      404,
    );
    expectProblem(
      await t.call("POST", `/v1/cin-considerations/${c.id}/decision`, { token: s.tokens.dm, body: { decision: "maybe", note: "x" } }),
      422,
    );
    expectProblem(await t.call("GET", "/v1/cin-considerations", { token: s.tokens.edt }), 403);
  });
});
