import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableChecksum } from "../support/app";
import { enquire, queueItem, type Setup, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";

// Seed 000 §2.151: a pre-birth plan protects a child with no name or date of birth yet; a midwife
// asks about the expectant mother (api.md, "Unborn children").
let t: TestApp;
let s: Setup;
let midwife: string;
let unborn: { id: string };
const sarah = { givenNames: "Sarah", familyName: "Hartley", aliases: [], dateOfBirth: "1995-03-03" };
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T11:00:00Z" });
  s = await setupAuthority(t, "UNB");
  midwife = await t.token({ sub: "mw-UNB", name: "Mo Midwife", roles: ["enquirer"], profession: "midwife", agency: s.hospital });
  unborn = await createChild(t, s.tokens.dm, "UNB", {
    externalId: "LCS-U1",
    givenNames: "Unborn",
    familyName: "Hartley",
    aliases: [],
    dateOfBirth: null,
    expectedDateOfDelivery: "2027-01-15",
    addresses: [{ line1: "12 High Street", postcode: "ST16 2LH", from: "2025-01-01" }],
    people: [
      {
        givenNames: "Sarah Jane",
        familyName: "Hartley",
        aliases: [{ familyName: "Cole" }],
        dateOfBirth: "1995-03-03",
        relationship: "mother",
        livesWithChild: true,
      },
    ],
  });
  await t.call("POST", `/v1/children/${unborn.id}/cases`, {
    token: s.tokens.dm,
    body: { type: "child_protection", openedOn: "2026-10-01", keyWorkerId: s.sam.id },
  });
  await t.call("POST", `/v1/children/${unborn.id}/plans`, {
    token: s.tokens.dm,
    body: { startDate: "2026-10-10", categories: ["neglect"] },
  });
});
afterAll(() => t.close());

const body = (mother: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  authority: "UNB",
  unborn: { mother: { aliases: [], ...mother }, expectedDateOfDelivery: null },
  addresses: [],
  carers: [],
  reason: "Booking appointment: partner's history of violence",
  callbackNumber: "0113 496 0200",
  ...extra,
});
const samInbox = async () =>
  (await t.call("GET", "/v1/notifications", { token: s.tokens.sam })).body.items as { kind: string; enquiry: { reference: string } }[];

describe("an enquiry about an unborn child, by the expectant mother's details", () => {
  it("with the mother's exact name and date of birth is known: the plan is answered and the key worker told", async () => {
    const e = await enquire(t, midwife, body(sarah));
    const item = await queueItem(t, s.tokens.edt, e.id);
    expect(item.enquiry.child).toBeNull();
    expect(item.enquiry.unborn).toEqual({
      mother: { givenNames: "Sarah", familyName: "Hartley", aliases: [], dateOfBirth: "1995-03-03" },
      expectedDateOfDelivery: null,
    });
    expect(item.answer).toMatchObject({
      match: "known",
      child: { id: unborn.id },
      currentPlan: { categories: ["neglect"] },
      case: { status: "open", keyWorker: { name: "Sam Patel" } },
    });
    expect((await samInbox()).filter((n) => n.enquiry.reference === e.reference).map((n) => n.kind)).toContain("enquiry_about_open_case");
  });

  it("by the mother's other name is known too; a slip in her date of birth is possible with the record, never known", async () => {
    const byAlias = await enquire(t, midwife, body({ ...sarah, familyName: "Cole" }));
    expect((await queueItem(t, s.tokens.edt, byAlias.id)).answer).toMatchObject({ match: "known", child: { id: unborn.id } });
    const slip = await enquire(t, midwife, body({ ...sarah, dateOfBirth: "1996-03-03" }));
    const answer = (await queueItem(t, s.tokens.edt, slip.id)).answer;
    expect(answer).toMatchObject({ match: "possible", child: null, currentPlan: null });
    expect(answer.candidates[0]).toMatchObject({ childId: unborn.id, reasons: expect.arrayContaining(["mother", "dob:year_digit"]) });
  });

  it("a child who happens to have the mother's name is not the unborn child, and the reverse", async () => {
    const asChild = await enquire(t, s.tokens.nurse, {
      ...body(sarah),
      unborn: undefined,
      child: { givenNames: "Sarah", familyName: "Hartley", aliases: [], dateOfBirth: "1995-03-03" },
    });
    expect((await queueItem(t, s.tokens.edt, asChild.id)).answer.match).toBe("not_known");
  });

  it("a second enquiry about an unknown unborn child opens a consideration; one about a child of the mother's name does not join it", async () => {
    const mother = { givenNames: "Tia", familyName: "Stranger", dateOfBirth: "2001-08-08" };
    const first = await enquire(t, midwife, body(mother));
    expect((await queueItem(t, s.tokens.edt, first.id)).answer.match).toBe("not_known");
    const child = await enquire(t, s.tokens.nurse, { ...body(mother), unborn: undefined, child: { ...mother, aliases: [] } });
    expect((await queueItem(t, s.tokens.edt, child.id)).answer.earlierEnquiries).toEqual([]);
    const second = await enquire(t, s.tokens.sergeant, body(mother, { callbackNumber: "0121 496 0100" }));
    expect((await queueItem(t, s.tokens.edt, second.id)).answer.earlierEnquiries.map((x: { reference: string }) => x.reference)).toEqual([
      first.reference,
    ]);
    // Only the considerations about the Strangers: other tests' unknown mothers have their own.
    const open = (await t.call("GET", "/v1/cin-considerations?status=open", { token: s.tokens.dm })).body.items.filter(
      (c: { enquiries: { child: { familyName: string } | null; unborn: { mother: { familyName: string } } | null }[] }) =>
        c.enquiries.some((x) => (x.unborn?.mother.familyName ?? x.child?.familyName) === "Stranger"),
    );
    expect(open).toHaveLength(1);
    expect(open[0].enquiries.map((x: { reference: string }) => x.reference)).toEqual([first.reference, second.reference]);
    expect(open[0].enquiries[0]).toMatchObject({ child: null, unborn: { mother: { givenNames: "Tia" } } });
  });

  it("refuses exactly-one-of and a missing or future date with 422, and changes nothing", async () => {
    const before = await tableChecksum(t.client, ["audit_log", "audit_subjects"]);
    const child = { givenNames: "Amy", familyName: "Hartley", aliases: [], dateOfBirth: "2019-01-01" };
    for (const [b, path] of [
      [{ ...body(sarah), child }, "child"],
      [{ ...body(sarah), unborn: undefined }, "child"],
      [body({ ...sarah, dateOfBirth: null }), "unborn.mother.dateOfBirth"],
      [body({ ...sarah, dateOfBirth: "2030-01-01" }), "unborn.mother.dateOfBirth"],
      [body({ ...sarah, nhsNumber: "9434765919" }), "unborn.mother"],
      [{ ...body(sarah), unborn: { mother: sarah, expectedDateOfDelivery: "1990-06-01" } }, "unborn.expectedDateOfDelivery"],
      [{ ...body(sarah), unborn: { mother: sarah, expectedDateOfDelivery: "2026-09-01" } }, "unborn.expectedDateOfDelivery"],
      [{ ...body(sarah), unborn: { mother: sarah, expectedDateOfDelivery: "2028-01-01" } }, "unborn.expectedDateOfDelivery"],
    ] as const) {
      const problem = expectProblem(await t.call("POST", "/v1/enquiries", { token: midwife, body: b }), 422);
      expect((problem.errors ?? []).map((x: { path: string }) => x.path).join(","), JSON.stringify(b)).toContain(path);
    }
    expect(await tableChecksum(t.client, ["audit_log", "audit_subjects"])).toBe(before);
  });

  it("takes an expected date from a few weeks overdue to 44 weeks ahead", async () => {
    for (const expectedDateOfDelivery of ["2026-10-20", "2027-09-20"]) {
      const res = await t.call("POST", "/v1/enquiries", {
        token: midwife,
        body: {
          ...body({ givenNames: "Nobody", familyName: "Known", dateOfBirth: "1990-01-01" }),
          unborn: { mother: { givenNames: "Nobody", familyName: "Known", aliases: [], dateOfBirth: "1990-01-01" }, expectedDateOfDelivery },
        },
      });
      expect(res.status, expectedDateOfDelivery).toBe(201);
    }
  });

  it("the register refuses an expected date no pregnancy could have, but keeps an old one as history", async () => {
    const record = { authority: "UNB", givenNames: "Baby", familyName: "Stone", aliases: [], dateOfBirth: null, addresses: [] };
    const problem = expectProblem(
      await t.call("POST", "/v1/children", { token: s.tokens.dm, body: { ...record, expectedDateOfDelivery: "2029-05-01" } }),
      422,
    );
    expect((problem.errors ?? []).map((x: { path: string }) => x.path)).toEqual(["expectedDateOfDelivery"]);
    const line = { authority: "UNB", externalId: "LCS-U9", givenNames: "Baby", familyName: "Stone", expectedDateOfDelivery: "2030-01-01" };
    const imported = await t.call("POST", "/v1/import", {
      token: s.tokens.dm,
      raw: `${JSON.stringify(line)}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(JSON.stringify(expectProblem(imported, 422))).toContain('"path":"expectedDateOfDelivery"');
    expect(
      (await t.call("POST", "/v1/children", { token: s.tokens.dm, body: { ...record, expectedDateOfDelivery: "2019-05-01" } })).status,
    ).toBe(201);
  });

  it("when the case system imports the born child with the same external id, the record keeps its plan and history", async () => {
    // A record of its own: the import turns it into a born child, which the other tests' unborn record must stay.
    const own = await createChild(t, s.tokens.dm, "UNB", {
      externalId: "LCS-U2",
      givenNames: "Unborn",
      familyName: "Moss",
      aliases: [],
      dateOfBirth: null,
      expectedDateOfDelivery: "2026-11-25",
      addresses: [],
      people: [{ givenNames: "Rachel", familyName: "Moss", dateOfBirth: "1993-08-08", relationship: "mother", livesWithChild: true }],
    });
    await t.call("POST", `/v1/children/${own.id}/cases`, {
      token: s.tokens.dm,
      body: { type: "child_protection", openedOn: "2026-10-01", keyWorkerId: s.sam.id },
    });
    await t.call("POST", `/v1/children/${own.id}/plans`, {
      token: s.tokens.dm,
      body: { startDate: "2026-10-10", categories: ["neglect"] },
    });
    const line = { authority: "UNB", externalId: "LCS-U2", givenNames: "Ruby", familyName: "Moss", dateOfBirth: "2026-11-20" };
    const res = await t.call("POST", "/v1/import", {
      token: s.tokens.dm,
      raw: `${JSON.stringify(line)}\n`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(res.body).toMatchObject({ updated: 1, created: 0 });
    const record = (await t.call("GET", `/v1/children/${own.id}`, { token: s.tokens.dm })).body;
    expect(record).toMatchObject({
      id: own.id,
      givenNames: "Ruby",
      dateOfBirth: "2026-11-20",
      plans: [{ startDate: "2026-10-10", categories: ["neglect"], endDate: null }],
    });
    expect(
      record.people.map((p: { relationship: string }) => p.relationship),
      "an import line without people keeps the mother",
    ).toEqual(["mother"]);
    const e = await enquire(t, s.tokens.nurse, {
      ...body(sarah),
      unborn: undefined,
      child: { givenNames: "Ruby", familyName: "Moss", aliases: [], dateOfBirth: "2026-11-20" },
    });
    expect((await queueItem(t, s.tokens.edt, e.id)).answer).toMatchObject({
      match: "known",
      child: { id: own.id },
      currentPlan: { startDate: "2026-10-10" },
    });
  });
});

describe("found by an outside attack", () => {
  it("a new pregnancy is never answered with a born sibling's record that still has an expected date", async () => {
    const born = await createChild(t, s.tokens.dm, "UNB", {
      givenNames: "Jack",
      familyName: "Lane",
      aliases: [],
      dateOfBirth: "2025-05-28",
      expectedDateOfDelivery: "2025-06-01",
      addresses: [],
      people: [{ givenNames: "Kerry", familyName: "Lane", dateOfBirth: "1992-04-04", relationship: "mother", livesWithChild: true }],
    });
    expect(born.id).toBeTruthy();
    const e = await enquire(t, midwife, body({ givenNames: "Kerry", familyName: "Lane", dateOfBirth: "1992-04-04" }));
    expect((await queueItem(t, s.tokens.edt, e.id)).answer).toMatchObject({ match: "not_known", child: null });
  });
});
