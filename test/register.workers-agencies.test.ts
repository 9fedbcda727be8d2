import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "./support/app";
import { enquire, enquiryBody, planChild, setupAuthority } from "./support/enquiry";
import { createAuthority, createChild, staffTokens } from "./support/fixtures";

let t: TestApp;
let dm: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ dm } = await staffTokens(t, "WKA"));
  await createAuthority(t, dm, "WKA");
});
afterAll(() => t.close());

describe("workers", () => {
  it("records a key worker linked to a login", async () => {
    const res = await t.call("POST", "/v1/workers", {
      token: dm,
      body: { authority: "WKA", name: "Sam Patel", team: "North", phone: "0121 496 0001", email: "sam@example.org", userId: "kw-sam" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ authority: "WKA", name: "Sam Patel", phone: "+441214960001", userId: "kw-sam" });
    expect(res.body.id).toEqual(expect.any(String));
    const list = await t.call("GET", "/v1/workers", { token: dm });
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(res.body.id);
  });

  it("refuses a second worker on the same login (409)", async () => {
    const first = await t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: "Jo Brennan", userId: "kw-jo" } });
    expect(first.status).toBe(201);
    expectProblem(await t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: "Other", userId: "kw-jo" } }), 409);
  });

  it("names bad fields and writes nothing", async () => {
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: " ", phone: "12", email: "nope" } }),
      422,
    );
    expect(p.errors!.map((e) => e.path).sort()).toEqual(["email", "name", "phone"]);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses a worker for an authority the manager does not act for", async () => {
    expectProblem(await t.call("POST", "/v1/workers", { token: dm, body: { authority: "ELSE", name: "X" } }), 403);
  });
});

describe("a login linked to workers of several authorities", () => {
  // What a manager is told about a login must not depend on what another authority has linked.
  const normalised = (res: { status: number; body: any }, login: string) =>
    JSON.parse(
      JSON.stringify({ status: res.status, body: res.body })
        .replaceAll(login, "<login>")
        .replace(/"(id|requestId)":"[^"]+"/g, '"$1":"<id>"'),
    );

  it("answers a manager the same whether or not another authority has linked the login", async () => {
    const { dm: other } = await staffTokens(t, "WKB");
    await createAuthority(t, other, "WKB");
    expect(
      (await t.call("POST", "/v1/workers", { token: other, body: { authority: "WKB", name: "Sam Patel", userId: "kw-linked-elsewhere" } }))
        .status,
    ).toBe(201);

    const worker = (login: string) =>
      t.call("POST", "/v1/workers", { token: dm, body: { authority: "WKA", name: "Sam Patel", team: "North", userId: login } });
    const linkedElsewhere = await worker("kw-linked-elsewhere");
    const unknown = await worker("kw-linked-nowhere");
    expect(linkedElsewhere.status).toBe(201);
    expect(normalised(linkedElsewhere, "kw-linked-elsewhere")).toEqual(normalised(unknown, "kw-linked-nowhere"));

    // A second worker of the manager's own authority on one login is refused, in the same words either way.
    const again = [await worker("kw-linked-elsewhere"), await worker("kw-linked-nowhere")];
    expectProblem(again[0]!, 409);
    expect(normalised(again[0]!, "kw-linked-elsewhere")).toEqual(normalised(again[1]!, "kw-linked-nowhere"));

    // Neither manager sees the other authority's record.
    const mine = (await t.call("GET", "/v1/workers", { token: dm })).body.items.filter(
      (w: { userId: string }) => w.userId === "kw-linked-elsewhere",
    );
    expect(mine.map((w: { authority: string }) => w.authority)).toEqual(["WKA"]);
    const theirs = (await t.call("GET", "/v1/workers", { token: other })).body.items;
    expect(theirs.map((w: { authority: string }) => w.authority)).toEqual(["WKB"]);
  });

  it("the key worker sees the notifications of each record linked to their login", async () => {
    const x = await setupAuthority(t, "WKX");
    const y = await setupAuthority(t, "WKY");
    // Sam of WKX also holds a case in WKY, under WKY's own worker record.
    const samInY = await t.call("POST", "/v1/workers", {
      token: y.tokens.dm,
      body: { authority: "WKY", name: "Sam Patel", userId: "kw-sam-WKX" },
    });
    expect(samInY.status).toBe(201);
    await planChild(t, x);
    const yChild = await createChild(t, y.tokens.dm, "WKY", {
      givenNames: "Noah",
      familyName: "Price",
      aliases: [],
      dateOfBirth: "2017-02-03",
    });
    await t.call("POST", `/v1/children/${yChild.id}/cases`, {
      token: y.tokens.dm,
      body: { type: "child_in_need", openedOn: "2026-05-20", keyWorkerId: samInY.body.id },
    });

    const ex = await enquire(
      t,
      x.tokens.sergeant,
      enquiryBody("WKX", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
    );
    const ey = await enquire(
      t,
      y.tokens.sergeant,
      enquiryBody("WKY", { givenNames: "Noah", familyName: "Price", dateOfBirth: "2017-02-03" }),
    );
    const inbox = (await t.call("GET", "/v1/notifications", { token: x.tokens.sam })).body.items;
    expect(inbox.map((n: { enquiry: { reference: string } }) => n.enquiry.reference).sort()).toEqual([ex.reference, ey.reference].sort());
    // WKY's own key worker Sam (a different login) hears nothing of WKX's enquiry.
    const ySam = (await t.call("GET", "/v1/notifications", { token: y.tokens.sam })).body.items;
    expect(ySam.map((n: { enquiry: { reference: string } }) => n.enquiry.reference)).not.toContain(ex.reference);
  });
});

describe("agencies and their recognised numbers", () => {
  it("stores numbers in E.164 and adds one later", async () => {
    const res = await t.call("POST", "/v1/agencies", {
      token: dm,
      body: { name: "  Staffordshire   Police ", recognisedNumbers: ["01785 232525", "+44 121 496 0002"] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Staffordshire Police", recognisedNumbers: ["+441785232525", "+441214960002"] });
    const added = await t.call("POST", `/v1/agencies/${res.body.id}/numbers`, { token: dm, body: { number: "0113 496 0000" } });
    expect(added.status).toBe(201);
    expect(added.body.recognisedNumbers).toEqual(["+441785232525", "+441214960002", "+441134960000"]);
  });

  it("treats names differing only in case and spacing as the same agency (409)", async () => {
    const first = await t.call("POST", "/v1/agencies", { token: dm, body: { name: "West Mercia Police", recognisedNumbers: [] } });
    expect(first.status).toBe(201);
    expectProblem(await t.call("POST", "/v1/agencies", { token: dm, body: { name: " west  mercia police", recognisedNumbers: [] } }), 409);
  });

  it("names the bad number by its position and writes nothing", async () => {
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await t.call("POST", "/v1/agencies", { token: dm, body: { name: "County Hospital", recognisedNumbers: ["0121 496 0003", "999"] } }),
      422,
    );
    expect(p.errors).toEqual([{ path: "recognisedNumbers.1", message: "is not a valid telephone number" }]);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses an invalid number added later, and keeps the numbers as they were", async () => {
    const agency = await t.call("POST", "/v1/agencies", {
      token: dm,
      body: { name: "Hillside School", recognisedNumbers: ["020 7946 0001"] },
    });
    const p = expectProblem(
      await t.call("POST", `/v1/agencies/${agency.body.id}/numbers`, { token: dm, body: { number: "07700 900123" } }),
      422,
    );
    expect(p.errors).toEqual([{ path: "number", message: "is not a valid telephone number" }]);
    const list = await t.call("GET", "/v1/agencies", { token: dm });
    expect(list.body.items.find((a: { id: string }) => a.id === agency.body.id).recognisedNumbers).toEqual(["+442079460001"]);
  });

  it("404s when adding a number to an unknown agency", async () => {
    expectProblem(await t.call("POST", "/v1/agencies/nope/numbers", { token: dm, body: { number: "0121 496 0004" } }), 404);
  });
});
