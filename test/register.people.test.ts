import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableChecksum } from "./support/app";
import { childBody, createAuthority, createWorker, staffTokens } from "./support/fixtures";

// People on a child's record (api.md, "People on a child's record"; seed 000 §2.151-2.153).
let t: TestApp;
let dm: string;
let otherDm: string;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T10:00:00Z" });
  ({ dm } = await staffTokens(t, "PPL"));
  otherDm = (await staffTokens(t, "PPX")).dm;
  await createAuthority(t, dm, "PPL");
  await createAuthority(t, otherDm, "PPX");
  await createWorker(t, dm, "PPL", { name: "Sam Patel", externalId: "W-1" });
});
afterAll(() => t.close());

const mother = {
  givenNames: "Sarah Jane",
  familyName: "Hartley",
  aliases: [{ familyName: "Cole" }],
  dateOfBirth: "1990-05-17",
  relationship: "mother",
  livesWithChild: true,
};
const partner = { givenNames: "Dean", familyName: "Cole", dateOfBirth: null, relationship: "partner_of_parent", livesWithChild: false };

describe("people on a child's record", () => {
  it("are recorded with the child, read back with ids, default to none, and are replaced whole by a PATCH that gives them", async () => {
    const bare = await t.call("POST", "/v1/children", { token: dm, body: childBody("PPL") });
    expect(bare.status).toBe(201);
    expect((await t.call("GET", `/v1/children/${bare.body.id}`, { token: dm })).body.people).toEqual([]);

    const created = await t.call("POST", "/v1/children", {
      token: dm,
      body: childBody("PPL", { people: [mother, partner], householdNote: "Dad works away." }),
    });
    expect(created.status).toBe(201);
    const read = await t.call("GET", `/v1/children/${created.body.id}`, { token: dm });
    expect(read.body.people).toEqual([
      {
        id: expect.any(String),
        givenNames: "Sarah Jane",
        familyName: "Hartley",
        aliases: [{ givenNames: null, familyName: "Cole" }],
        dateOfBirth: "1990-05-17",
        relationship: "mother",
        livesWithChild: true,
      },
      {
        id: expect.any(String),
        givenNames: "Dean",
        familyName: "Cole",
        aliases: [],
        dateOfBirth: null,
        relationship: "partner_of_parent",
        livesWithChild: false,
      },
    ]);
    expect(read.body.householdNote, "the shareable household note stays beside them").toBe("Dad works away.");

    // A PATCH without people leaves them; with people, replaces them.
    await t.call("PATCH", `/v1/children/${created.body.id}`, { token: dm, body: { householdNote: "Dad is home." } });
    expect((await t.call("GET", `/v1/children/${created.body.id}`, { token: dm })).body.people).toHaveLength(2);
    const patched = await t.call("PATCH", `/v1/children/${created.body.id}`, {
      token: dm,
      body: { people: [{ ...partner, livesWithChild: true }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.people).toEqual([expect.objectContaining({ givenNames: "Dean", livesWithChild: true })]);
    const names = await t.client.execute({
      sql: "SELECT given_key, family_key FROM child_person_names WHERE child_id = ?",
      args: [created.body.id],
    });
    expect(
      names.rows.map((r) => `${r.given_key} ${r.family_key}`),
      "the replaced people's names are gone from the matcher's keys",
    ).toEqual(["dean cole"]);
  });

  it("refuses a bad person with a 422 naming the field, and changes nothing", async () => {
    const created = await t.call("POST", "/v1/children", { token: dm, body: childBody("PPL", { people: [mother] }) });
    const before = await tableChecksum(t.client, ["audit_log"]);
    for (const [person, path] of [
      [{ ...mother, relationship: "uncle" }, "people.0.relationship"],
      [{ ...mother, dateOfBirth: "2027-01-01" }, "people.0.dateOfBirth"],
      [{ ...mother, livesWithChild: undefined }, "people.0.livesWithChild"],
      [{ ...mother, givenNames: "" }, "people.0.givenNames"],
      [{ ...mother, nickname: "Saz" }, "people.0"],
    ] as const) {
      const res = await t.call("PATCH", `/v1/children/${created.body.id}`, { token: dm, body: { people: [person] } });
      const problem = expectProblem(res, 422);
      expect((problem.errors ?? []).map((e: { path: string }) => e.path).join(","), JSON.stringify(person)).toContain(path);
      expectProblem(await t.call("POST", "/v1/children", { token: dm, body: childBody("PPL", { people: [person] }) }), 422);
    }
    expect(await tableChecksum(t.client, ["audit_log"])).toBe(before);
  });

  it("are another authority's manager's to see only as a 404", async () => {
    const created = await t.call("POST", "/v1/children", { token: dm, body: childBody("PPL", { people: [mother] }) });
    expectProblem(await t.call("GET", `/v1/children/${created.body.id}`, { token: otherDm }), 404);
    expectProblem(await t.call("PATCH", `/v1/children/${created.body.id}`, { token: otherDm, body: { people: [] } }), 404);
    expect((await t.call("GET", `/v1/children/${created.body.id}`, { token: dm })).body.people).toHaveLength(1);
  });

  it("come with the case system's import: a line that gives them replaces them, a line that leaves them out keeps them", async () => {
    const line = (extra: Record<string, unknown>) =>
      JSON.stringify({
        authority: "PPL",
        externalId: "LCS-P1",
        givenNames: "Ava",
        familyName: "Hartley",
        dateOfBirth: "2018-02-02",
        ...extra,
      });
    const post = (body: string) =>
      t.call("POST", "/v1/import", { token: dm, raw: `${body}\n`, headers: { "content-type": "application/x-ndjson" } });
    expect((await post(line({ people: [mother, partner] }))).body).toMatchObject({ created: 1 });
    const id = String((await t.client.execute("SELECT id FROM children WHERE external_id = 'LCS-P1'")).rows[0]!.id);
    const people = async () =>
      (await t.call("GET", `/v1/children/${id}`, { token: dm })).body.people.map((p: { givenNames: string }) => p.givenNames);
    expect(await people()).toEqual(["Sarah Jane", "Dean"]);
    expect((await post(line({ householdNote: "x" }))).body).toMatchObject({ updated: 1 });
    expect(await people(), "left out: kept").toEqual(["Sarah Jane", "Dean"]);
    expect((await post(line({ householdNote: "x", people: [partner] }))).body).toMatchObject({ updated: 1 });
    expect(await people(), "given: replaced").toEqual(["Dean"]);
    const bad = await post(line({ people: [{ ...mother, relationship: "aunt" }] }));
    expect(bad.status).toBe(422);
    expect(await people(), "a refused import changes nothing").toEqual(["Dean"]);
  });
});
