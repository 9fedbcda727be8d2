import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { execute, prepared } from "../../src/db/prepared";
import { agencies } from "../../src/db/schema";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
afterEach(() => t?.close());

const byKey = prepared((q) =>
  q
    .select()
    .from(agencies)
    .where(eq(agencies.nameKey, sql.placeholder("key"))),
);
const insert = prepared((q) =>
  q.insert(agencies).values({
    id: sql.placeholder("id"),
    name: sql.placeholder("name"),
    nameKey: sql.placeholder("key"),
    createdAt: sql.placeholder("at"),
  }),
);

describe("statements built once", () => {
  it("run on whatever they are given: the database, a write transaction (seeing its own uncommitted rows), a snapshot", async () => {
    t = await createTestApp();
    await insert(t.store.read).run({ id: "a1", name: "Alpha", key: "alpha", at: "2026-11-23T10:00:00Z" });
    // The same rows as the query builder gives, mapped the same way.
    expect(await byKey(t.store.read).all({ key: "alpha" })).toEqual(
      await t.store.read.select().from(agencies).where(eq(agencies.nameKey, "alpha")),
    );

    let seenInside: unknown[] = [];
    await expect(
      t.store.write(async (tx) => {
        await insert(tx).run({ id: "b1", name: "Beta", key: "beta", at: "2026-11-23T10:00:00Z" });
        // Bound to the transaction: its own row is visible before the commit...
        seenInside = await byKey(tx).all({ key: "beta" });
        // ...and the transaction's raw statements run on the same connection.
        expect((await execute(tx, "SELECT count(*) AS n FROM agencies"))[0]!.n).toBe(2);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(seenInside).toHaveLength(1);
    // ...and went with the rollback: the statement was not run on another connection.
    expect(await byKey(t.store.read).all({ key: "beta" })).toEqual([]);
    expect(await t.store.snapshot((db) => byKey(db).all({ key: "alpha" }))).toMatchObject([{ id: "a1", name: "Alpha" }]);
  });
});
