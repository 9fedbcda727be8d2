import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp, tableCounts } from "./support/app";
import { createAuthority, createChild, createWorker, staffTokens } from "./support/fixtures";

let t: TestApp;
let dm: string;
let otherDm: string;
let worker: { id: string };
let otherWorker: { id: string };
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T10:00:00Z" });
  ({ dm } = await staffTokens(t, "HIA"));
  otherDm = (await staffTokens(t, "HIB")).dm;
  await createAuthority(t, dm, "HIA");
  await createAuthority(t, otherDm, "HIB");
  worker = await createWorker(t, dm, "HIA", { name: "Sam Patel" });
  otherWorker = await createWorker(t, otherDm, "HIB", { name: "Other Worker" });
});
afterAll(() => t.close());

describe("cases", () => {
  it("opens a case with its key worker, then closes it; the record shows both", async () => {
    const child = await createChild(t, dm, "HIA");
    const opened = await t.call("POST", `/v1/children/${child.id}/cases`, {
      token: dm,
      body: { type: "child_protection", openedOn: "2026-05-20", keyWorkerId: worker.id },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      type: "child_protection",
      status: "open",
      closedOn: null,
      keyWorker: { id: worker.id, name: "Sam Patel", team: "North", phone: "+441214960001" },
    });
    const closed = await t.call("PATCH", `/v1/cases/${opened.body.id}`, { token: dm, body: { closedOn: "2026-10-01" } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "closed", closedOn: "2026-10-01", keyWorker: { name: "Sam Patel" } });
    const record = await t.call("GET", `/v1/children/${child.id}`, { token: dm });
    expect(record.body.cases).toEqual([closed.body]);
  });

  it("refuses a key worker of another authority, and writes nothing", async () => {
    const child = await createChild(t, dm, "HIA");
    const before = await tableCounts(t.client);
    const p = expectProblem(
      await t.call("POST", `/v1/children/${child.id}/cases`, {
        token: dm,
        body: { type: "child_in_need", openedOn: "2026-05-20", keyWorkerId: otherWorker.id },
      }),
      422,
    );
    expect(p.errors![0]!.path).toBe("keyWorkerId");
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("refuses a case closed before it opened, or an unknown type", async () => {
    const child = await createChild(t, dm, "HIA");
    const p1 = expectProblem(
      await t.call("POST", `/v1/children/${child.id}/cases`, {
        token: dm,
        body: { type: "child_in_need", openedOn: "2026-05-20", closedOn: "2026-05-01", keyWorkerId: worker.id },
      }),
      422,
    );
    expect(p1.errors![0]!.path).toBe("closedOn");
    const p2 = expectProblem(
      await t.call("POST", `/v1/children/${child.id}/cases`, {
        token: dm,
        body: { type: "adoption", openedOn: "2026-05-20", keyWorkerId: worker.id },
      }),
      422,
    );
    expect(p2.errors![0]!.path).toBe("type");
  });

  it("refuses to close a case before it opened, changing nothing", async () => {
    const child = await createChild(t, dm, "HIA");
    const opened = await t.call("POST", `/v1/children/${child.id}/cases`, {
      token: dm,
      body: { type: "child_in_need", openedOn: "2026-05-20", keyWorkerId: worker.id },
    });
    const p = expectProblem(await t.call("PATCH", `/v1/cases/${opened.body.id}`, { token: dm, body: { closedOn: "2026-01-01" } }), 422);
    expect(p.errors![0]!.path).toBe("closedOn");
    expect((await t.call("GET", `/v1/children/${child.id}`, { token: dm })).body.cases[0].closedOn).toBeNull();
  });

  it("another authority's manager cannot see or change the case (404)", async () => {
    const child = await createChild(t, dm, "HIA");
    const opened = await t.call("POST", `/v1/children/${child.id}/cases`, {
      token: dm,
      body: { type: "looked_after", openedOn: "2026-01-02", keyWorkerId: worker.id },
    });
    expectProblem(await t.call("PATCH", `/v1/cases/${opened.body.id}`, { token: otherDm, body: { closedOn: "2026-02-01" } }), 404);
    expectProblem(
      await t.call("POST", `/v1/children/${child.id}/cases`, {
        token: otherDm,
        body: { type: "looked_after", openedOn: "2026-01-02", keyWorkerId: otherWorker.id },
      }),
      404,
    );
  });
});

describe("plans", () => {
  it("starts a plan, changes its categories keeping the history, and ends it with a reason", async () => {
    const child = await createChild(t, dm, "HIA");
    const started = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2026-06-01", categories: ["neglect"] },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ startDate: "2026-06-01", endDate: null, temporary: false, categories: ["neglect"] });

    const changed = await t.call("PATCH", `/v1/plans/${started.body.id}`, {
      token: dm,
      body: { categories: ["emotional_abuse", "physical_abuse"], changedOn: "2026-08-01" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.categories.sort()).toEqual(["emotional_abuse", "physical_abuse"]);
    expect(changed.body.categoryHistory).toEqual(
      expect.arrayContaining([
        { category: "neglect", from: "2026-06-01", to: "2026-08-01" },
        { category: "emotional_abuse", from: "2026-08-01", to: null },
        { category: "physical_abuse", from: "2026-08-01", to: null },
      ]),
    );

    const ended = await t.call("PATCH", `/v1/plans/${started.body.id}`, {
      token: dm,
      body: { endDate: "2026-11-01", endReason: "no_longer_at_risk" },
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ endDate: "2026-11-01", endReason: "no_longer_at_risk" });
    expect(ended.body.categories.sort()).toEqual(["emotional_abuse", "physical_abuse"]);

    expectProblem(await t.call("PATCH", `/v1/plans/${started.body.id}`, { token: dm, body: { categories: ["neglect"] } }), 409);
    const record = await t.call("GET", `/v1/children/${child.id}`, { token: dm });
    expect(record.body.plans).toEqual([ended.body]);
  });

  it("refuses a second current plan (409) but allows one after the first ended", async () => {
    const child = await createChild(t, dm, "HIA");
    const first = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2025-01-01", categories: ["sexual_abuse"] },
    });
    expectProblem(
      await t.call("POST", `/v1/children/${child.id}/plans`, { token: dm, body: { startDate: "2025-06-01", categories: ["neglect"] } }),
      409,
    );
    await t.call("PATCH", `/v1/plans/${first.body.id}`, { token: dm, body: { endDate: "2025-12-01", endReason: "no_longer_at_risk" } });
    expect(
      (await t.call("POST", `/v1/children/${child.id}/plans`, { token: dm, body: { startDate: "2026-03-01", categories: ["neglect"] } }))
        .status,
    ).toBe(201);
  });

  it.each([
    ["no categories", { startDate: "2026-01-01", categories: [] }, "categories"],
    ["an unknown category", { startDate: "2026-01-01", categories: ["bullying"] }, "categories.0"],
    ["a repeated category", { startDate: "2026-01-01", categories: ["neglect", "neglect"] }, "categories"],
    ["a start in the future", { startDate: "2027-01-01", categories: ["neglect"] }, "startDate"],
    [
      "a temporary plan without its originating authority",
      { startDate: "2026-01-01", categories: ["neglect"], temporary: true },
      "originatingAuthority",
    ],
  ])("refuses a plan with %s (422), writing nothing", async (_w, body, path) => {
    const child = await createChild(t, dm, "HIA");
    const before = await tableCounts(t.client);
    const p = expectProblem(await t.call("POST", `/v1/children/${child.id}/plans`, { token: dm, body }), 422);
    expect(p.errors!.map((e) => e.path)).toContain(path);
    expect(await tableCounts(t.client)).toEqual(before);
  });

  it("records a temporary plan with its originating authority", async () => {
    const child = await createChild(t, dm, "HIA");
    const res = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2026-11-20", categories: ["neglect"], temporary: true, originatingAuthority: "Dorset Council" },
    });
    expect(res.body).toMatchObject({ temporary: true, originatingAuthority: "Dorset Council" });
  });

  it("refuses an end without a reason, an unknown reason, or an end before the start", async () => {
    const child = await createChild(t, dm, "HIA");
    const plan = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2026-06-01", categories: ["neglect"] },
    });
    expect(
      expectProblem(await t.call("PATCH", `/v1/plans/${plan.body.id}`, { token: dm, body: { endDate: "2026-07-01" } }), 422).errors![0]!
        .path,
    ).toBe("endReason");
    expect(
      expectProblem(
        await t.call("PATCH", `/v1/plans/${plan.body.id}`, { token: dm, body: { endDate: "2026-07-01", endReason: "bored" } }),
        422,
      ).errors![0]!.path,
    ).toBe("endReason");
    expect(
      expectProblem(
        await t.call("PATCH", `/v1/plans/${plan.body.id}`, { token: dm, body: { endDate: "2026-05-01", endReason: "died" } }),
        422,
      ).errors![0]!.path,
    ).toBe("endDate");
    expect((await t.call("GET", `/v1/children/${child.id}`, { token: dm })).body.plans[0].endDate).toBeNull();
  });

  it("another authority's manager gets 404 for the plan", async () => {
    const child = await createChild(t, dm, "HIA");
    const plan = await t.call("POST", `/v1/children/${child.id}/plans`, {
      token: dm,
      body: { startDate: "2026-06-01", categories: ["neglect"] },
    });
    expectProblem(
      await t.call("PATCH", `/v1/plans/${plan.body.id}`, { token: otherDm, body: { endDate: "2026-07-01", endReason: "died" } }),
      404,
    );
  });
});

describe("conferences", () => {
  it("records a conference that decided no plan was needed", async () => {
    const child = await createChild(t, dm, "HIA");
    const res = await t.call("POST", `/v1/children/${child.id}/conferences`, {
      token: dm,
      body: { type: "initial", heldOn: "2026-04-10", outcome: "no_plan" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ childId: child.id, type: "initial", heldOn: "2026-04-10", outcome: "no_plan" });
    expect((await t.call("GET", `/v1/children/${child.id}`, { token: dm })).body.conferences).toEqual([res.body]);
  });

  it("refuses an unknown outcome or a conference not yet held", async () => {
    const child = await createChild(t, dm, "HIA");
    expectProblem(
      await t.call("POST", `/v1/children/${child.id}/conferences`, {
        token: dm,
        body: { type: "initial", heldOn: "2026-04-10", outcome: "maybe" },
      }),
      422,
    );
    expectProblem(
      await t.call("POST", `/v1/children/${child.id}/conferences`, {
        token: dm,
        body: { type: "review", heldOn: "2026-12-10", outcome: "plan" },
      }),
      422,
    );
    expect((await t.call("GET", `/v1/children/${child.id}`, { token: dm })).body.conferences).toEqual([]);
  });
});
