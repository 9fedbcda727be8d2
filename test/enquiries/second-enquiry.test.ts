import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, queueItem, type Setup, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";
import { handOver } from "../support/moves";

/**
 * The Pan Dorset note (wider than seed 004 §61, and it stands): a second enquiry about a child
 * who is not an open case — not known, or known with a closed case or none — tells the later
 * enquirer of the earlier one and puts the child to the designated manager.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T14:00:00Z" });
});
afterAll(() => t.close());

const considerations = async (s: Setup) => (await t.call("GET", "/v1/cin-considerations?status=open", { token: s.tokens.dm })).body.items;

async function twoEnquiries(s: Setup, child: Record<string, unknown>) {
  const first = await enquire(t, s.tokens.sergeant, enquiryBody(s.code, child));
  t.clock.advance(60_000);
  const second = await enquire(t, s.tokens.nurse, enquiryBody(s.code, child, { callbackNumber: "0113 496 0200" }));
  return { first, second };
}

describe("a second enquiry about a known child who is not an open case", () => {
  it("with a closed case: tells the later enquirer of the earlier one and makes one consideration holding both", async () => {
    const s = await setupAuthority(t, "SECA");
    const child = await createChild(t, s.tokens.dm, "SECA", {
      givenNames: "Theo",
      familyName: "Marsh",
      aliases: [],
      dateOfBirth: "2015-02-02",
      addresses: [],
    });
    const opened = await t.call("POST", `/v1/children/${child.id}/cases`, {
      token: s.tokens.dm,
      body: { type: "child_in_need", openedOn: "2025-01-10", keyWorkerId: s.sam.id },
    });
    expect((await t.call("PATCH", `/v1/cases/${opened.body.id}`, { token: s.tokens.dm, body: { closedOn: "2025-09-01" } })).status).toBe(
      200,
    );

    const { first, second } = await twoEnquiries(s, { givenNames: "Theo", familyName: "Marsh", dateOfBirth: "2015-02-02" });
    const later = await queueItem(t, s.tokens.edt, second.id);
    expect(later.answer).toMatchObject({ match: "known", case: { status: "closed" } });
    expect(later.answer.earlierEnquiries).toEqual([
      { reference: first.reference, receivedAt: first.receivedAt, agency: s.police, profession: "police_sergeant" },
    ]);
    expect((await queueItem(t, s.tokens.edt, first.id)).answer.earlierEnquiries).toEqual([]);
    const open = await considerations(s);
    expect(open).toHaveLength(1);
    expect(open[0].enquiries.map((e: { id: string; possibleLink: boolean }) => [e.id, e.possibleLink])).toEqual([
      [first.id, false],
      [second.id, false],
    ]);
  });

  it("with no case at all: the same", async () => {
    const s = await setupAuthority(t, "SECB");
    await createChild(t, s.tokens.dm, "SECB", {
      givenNames: "Ivy",
      familyName: "Stone",
      aliases: [],
      dateOfBirth: "2016-06-06",
      addresses: [],
    });
    const { first, second } = await twoEnquiries(s, { givenNames: "Ivy", familyName: "Stone", dateOfBirth: "2016-06-06" });
    expect((await queueItem(t, s.tokens.edt, second.id)).answer.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([
      first.reference,
    ]);
    expect(await considerations(s)).toHaveLength(1);
    // A third joins the open consideration rather than opening another.
    const third = await enquire(
      t,
      s.tokens.head,
      enquiryBody("SECB", { givenNames: "Ivy", familyName: "Stone", dateOfBirth: "2016-06-06" }, { callbackNumber: "020 7946 0300" }),
    );
    const open = await considerations(s);
    expect(open).toHaveLength(1);
    expect(open[0].enquiries.map((e: { id: string }) => e.id)).toEqual([first.id, second.id, third.id]);
  });

  it("links an enquiry made before the child was registered to one made after", async () => {
    const s = await setupAuthority(t, "SECR");
    const details = { givenNames: "Rowan", familyName: "Pike", dateOfBirth: "2017-03-03" };
    const first = await enquire(t, s.tokens.sergeant, enquiryBody("SECR", details));
    expect((await queueItem(t, s.tokens.edt, first.id)).answer.match).toBe("not_known");
    // A near miss before registration: the manager is asked, with the first as a possible link.
    const near = await enquire(
      t,
      s.tokens.head,
      enquiryBody("SECR", { ...details, givenNames: "Rowen" }, { callbackNumber: "020 7946 0300" }),
    );
    const before = await considerations(s);
    expect(before[0].enquiries.map((e: { id: string; possibleLink: boolean }) => [e.id, e.possibleLink])).toEqual([
      [first.id, true],
      [near.id, false],
    ]);
    await createChild(t, s.tokens.dm, "SECR", { ...details, aliases: [], addresses: [] });
    t.clock.advance(60_000);

    const second = await enquire(t, s.tokens.nurse, enquiryBody("SECR", details, { callbackNumber: "0113 496 0200" }));
    const later = await queueItem(t, s.tokens.edt, second.id);
    expect(later.answer.match).toBe("known");
    expect(later.answer.earlierEnquiries).toEqual([
      { reference: first.reference, receivedAt: first.receivedAt, agency: s.police, profession: "police_sergeant" },
    ]);
    const open = await considerations(s);
    expect(open).toHaveLength(1);
    // The second settles that the first was about this child: no longer a possible link.
    expect(open[0].enquiries.map((e: { id: string; possibleLink: boolean }) => [e.id, e.possibleLink])).toEqual([
      [first.id, false],
      [near.id, false],
      [second.id, false],
    ]);
  });

  it("does not link an enquiry a duty officer found to be another child (another NHS number), nor one made after registration", async () => {
    const s = await setupAuthority(t, "SECN");
    await createChild(t, s.tokens.dm, "SECN", {
      givenNames: "Jo",
      familyName: "Smith",
      aliases: [],
      dateOfBirth: "2015-01-01",
      nhsNumber: "9434765919",
      addresses: [],
    });
    t.clock.advance(60_000);
    const first = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("SECN", { givenNames: "Jo", familyName: "Smith", dateOfBirth: "2015-01-01", nhsNumber: "9434765005" }),
    );
    expect((await queueItem(t, s.tokens.edt, first.id)).answer.match).toBe("possible");
    expect((await t.call("POST", `/v1/callbacks/${first.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
    const settled = await t.call("POST", `/v1/callbacks/${first.id}/confirm-match`, { token: s.tokens.edt, body: { childId: null } });
    expect(settled.status).toBe(200);
    t.clock.advance(60_000);
    const second = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("SECN", { givenNames: "Jo", familyName: "Smith", dateOfBirth: "2015-01-01" }, { callbackNumber: "0113 496 0200" }),
    );
    const later = await queueItem(t, s.tokens.edt, second.id);
    expect(later.answer.match).toBe("known");
    expect(later.answer.earlierEnquiries).toEqual([]);
    expect(await considerations(s)).toEqual([]);
  });

  it("links an enquiry made to the receiving authority before a child was handed over to it", async () => {
    const a = await setupAuthority(t, "SECH");
    const b = await setupAuthority(t, "SECI");
    const kid = { givenNames: "Kit", familyName: "Lowe", dateOfBirth: "2014-03-03" };
    const child = await planChild(t, a, { ...kid, aliases: [], addresses: [] });
    t.clock.advance(60_000);
    // The receiving authority's register does not hold the child yet.
    const first = await enquire(t, b.tokens.sergeant, enquiryBody("SECI", kid));
    expect((await queueItem(t, b.tokens.edt, first.id)).answer.match).toBe("not_known");
    t.clock.advance(60_000);
    await handOver(t, a, b, child.id, { outcome: "receiving_in_no_plan", decidedOn: "2026-11-23" }, { moveDate: "2026-11-20" });
    t.clock.advance(60_000);
    const second = await enquire(t, b.tokens.nurse, enquiryBody("SECI", kid, { callbackNumber: "0113 496 0200" }));
    const later = await queueItem(t, b.tokens.edt, second.id);
    expect(later.answer.match).toBe("known");
    expect(later.answer.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([first.reference]);
  });

  it("does not link an enquiry a duty officer settled while the authority held the child, after the child went away and came back", async () => {
    const a = await setupAuthority(t, "SECK");
    const b = await setupAuthority(t, "SECL");
    const plan = { outcome: "receiving_in_plan", decidedOn: "2026-11-23" };
    const jo = { givenNames: "Jo", familyName: "Smith", dateOfBirth: "2015-01-01" };
    const child = await planChild(t, a, { ...jo, nhsNumber: "9434765919", addresses: [] });
    t.clock.advance(60_000);
    const first = await enquire(t, a.tokens.sergeant, enquiryBody("SECK", { ...jo, nhsNumber: "9434765005" }));
    expect((await queueItem(t, a.tokens.edt, first.id)).answer.match).toBe("possible");
    expect((await t.call("POST", `/v1/callbacks/${first.id}/claim`, { token: a.tokens.edt })).status).toBe(200);
    expect((await t.call("POST", `/v1/callbacks/${first.id}/confirm-match`, { token: a.tokens.edt, body: { childId: null } })).status).toBe(
      200,
    );
    t.clock.advance(60_000);
    await handOver(t, a, b, child.id, plan, { moveDate: "2026-11-20" });
    t.clock.advance(60_000);
    await handOver(t, b, a, child.id, plan, { moveDate: "2026-11-20" });
    t.clock.advance(60_000);
    const second = await enquire(t, a.tokens.nurse, enquiryBody("SECK", jo, { callbackNumber: "0113 496 0200" }));
    const later = await queueItem(t, a.tokens.edt, second.id);
    expect(later.answer.match).toBe("known");
    expect(later.answer.earlierEnquiries).toEqual([]);
  });

  it("links an enquiry a duty officer settled as none of the candidates before this child was registered", async () => {
    const s = await setupAuthority(t, "SECJ");
    // A sibling already on the register, born a day-and-month swap away.
    await createChild(t, s.tokens.dm, "SECJ", {
      givenNames: "Jayden",
      familyName: "Cole",
      aliases: [],
      dateOfBirth: "2015-03-04",
      addresses: [],
    });
    const kid = { givenNames: "Jayden", familyName: "Cole", dateOfBirth: "2015-04-03" };
    const first = await enquire(t, s.tokens.sergeant, enquiryBody("SECJ", kid));
    expect((await queueItem(t, s.tokens.edt, first.id)).answer.match).toBe("possible");
    expect((await t.call("POST", `/v1/callbacks/${first.id}/claim`, { token: s.tokens.edt })).status).toBe(200);
    const settled = await t.call("POST", `/v1/callbacks/${first.id}/confirm-match`, { token: s.tokens.edt, body: { childId: null } });
    expect(settled.status).toBe(200);
    t.clock.advance(60_000);
    await createChild(t, s.tokens.dm, "SECJ", { ...kid, aliases: [], addresses: [] });
    t.clock.advance(60_000);
    const second = await enquire(t, s.tokens.nurse, enquiryBody("SECJ", kid, { callbackNumber: "0113 496 0200" }));
    const later = await queueItem(t, s.tokens.edt, second.id);
    expect(later.answer.match).toBe("known");
    expect(later.answer.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([first.reference]);
  });

  it("with an open case: the key worker is told, and no consideration is made", async () => {
    const s = await setupAuthority(t, "SECC");
    await planChild(t, s);
    const { second } = await twoEnquiries(s, { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" });
    expect((await queueItem(t, s.tokens.edt, second.id)).answer.earlierEnquiries).toEqual([]);
    expect(await considerations(s)).toEqual([]);
  });
});

describe("linking enquiries about a child not known by the near-miss rules", () => {
  it("never links two children with different NHS numbers, however alike their names and dates", async () => {
    const s = await setupAuthority(t, "SECM");
    const child = { givenNames: "Ada", familyName: "Quill", dateOfBirth: "2016-02-02" };
    await enquire(t, s.tokens.sergeant, enquiryBody("SECM", { ...child, nhsNumber: "9434765919" }));
    await enquire(
      t,
      s.tokens.head,
      enquiryBody("SECM", { ...child, givenNames: "Adah", nhsNumber: "9434765005" }, { callbackNumber: "020 7946 0300" }),
    );
    const second = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("SECM", { ...child, nhsNumber: "9434765005" }, { callbackNumber: "0113 496 0200" }),
    );
    // Adah (same NHS number, a slip of the pen) is linked as possible; Ada with the other NHS number is not.
    const open = await considerations(s);
    expect(open).toHaveLength(1);
    expect(open[0].enquiries.map((e: { possibleLink: boolean }) => e.possibleLink)).toEqual([true, false]);
    expect(open[0].enquiries.at(-1).id).toBe(second.id);
    expect((await queueItem(t, s.tokens.edt, second.id)).answer.earlierEnquiries).toEqual([]);
  });

  it("links Nena and Nina born the same day, marked as a possible link, without telling the later enquirer", async () => {
    const s = await setupAuthority(t, "SECD");
    await t.call("PUT", "/v1/authorities/SECD/delivery", {
      token: s.tokens.dm,
      body: { custodianEmail: "custodian@secd.example.org", webhook: null },
    });
    const first = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("SECD", { givenNames: "Nena", familyName: "Kowalski", dateOfBirth: "2019-09-19" }),
    );
    const second = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("SECD", { givenNames: "Nina", familyName: "Kowalski", dateOfBirth: "2019-09-19" }, { callbackNumber: "0113 496 0200" }),
    );
    // It may be another child: the earlier enquirer's agency is not told to the later one.
    expect((await queueItem(t, s.tokens.edt, second.id)).answer.earlierEnquiries).toEqual([]);
    const open = await considerations(s);
    expect(open).toHaveLength(1);
    expect(open[0].enquiries.map((e: { id: string; possibleLink: boolean }) => [e.id, e.possibleLink])).toEqual([
      [first.id, true],
      [second.id, false],
    ]);
    // The custodian is emailed once, as for any consideration.
    const { rows } = await t.client.execute({
      sql: "SELECT count(*) AS n FROM outbox WHERE authority = 'SECD' AND kind = 'consideration_opened'",
      args: [],
    });
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it("links the same name with the day and month swapped as possible, and not a different child of the same surname", async () => {
    const s = await setupAuthority(t, "SECE");
    const first = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("SECE", { givenNames: "Oscar", familyName: "Lind", dateOfBirth: "2018-03-04" }),
    );
    await enquire(t, s.tokens.sergeant, enquiryBody("SECE", { givenNames: "Maya", familyName: "Lind", dateOfBirth: "2012-11-30" }));
    expect(await considerations(s)).toEqual([]);
    const third = await enquire(
      t,
      s.tokens.nurse,
      enquiryBody("SECE", { givenNames: "Oscar", familyName: "Lind", dateOfBirth: "2018-04-03" }, { callbackNumber: "0113 496 0200" }),
    );
    const open = await considerations(s);
    expect(open.map((c: { enquiries: { id: string; possibleLink: boolean }[] }) => c.enquiries.map((e) => [e.id, e.possibleLink]))).toEqual(
      [
        [
          [first.id, true],
          [third.id, false],
        ],
      ],
    );
  });
});

describe("what the second-enquiry rule names, once the call-back is made", () => {
  it("keeps the earlier enquiry through the duty officer's claim and in the answer given", async () => {
    const s = await setupAuthority(t, "SECF");
    await createChild(t, s.tokens.dm, "SECF", {
      givenNames: "Ivy",
      familyName: "Stone",
      aliases: [],
      dateOfBirth: "2016-06-06",
      addresses: [],
    });
    const { first, second } = await twoEnquiries(s, { givenNames: "Ivy", familyName: "Stone", dateOfBirth: "2016-06-06" });
    const claim = await t.call("POST", `/v1/callbacks/${second.id}/claim`, { token: s.tokens.edt });
    expect(claim.status).toBe(200);
    expect(claim.body.answer.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([first.reference]);
    const done = await t.call("POST", `/v1/callbacks/${second.id}/complete`, {
      token: s.tokens.edt,
      body: { numberDialled: "0113 496 0200", adviceGiven: "Told of the earlier enquiry" },
    });
    expect(done.status).toBe(200);
    const mine = await t.call("GET", `/v1/enquiries/${second.id}`, { token: s.tokens.nurse });
    expect(mine.body.answer.earlierEnquiries.map((e: { reference: string }) => e.reference)).toEqual([first.reference]);
  });

  it("audits a reading of a consideration about a register child against that child, and does not show the id", async () => {
    const s = await setupAuthority(t, "SECG");
    const child = await createChild(t, s.tokens.dm, "SECG", {
      givenNames: "Theo",
      familyName: "Marsh",
      aliases: [],
      dateOfBirth: "2015-02-02",
      addresses: [],
    });
    await twoEnquiries(s, { givenNames: "Theo", familyName: "Marsh", dateOfBirth: "2015-02-02" });
    const open = await considerations(s);
    expect(open).toHaveLength(1);
    expect(open[0].enquiries[0]).not.toHaveProperty("childId");
    const audit = await t.call("GET", `/v1/audit?childId=${child.id}&limit=1000`, { token: s.tokens.auditor });
    expect(audit.body.items.map((a: { userId: string; action: string }) => `${a.userId}:${a.action}`)).toContain(
      "dm-SECG:consideration.list",
    );
  });
});
