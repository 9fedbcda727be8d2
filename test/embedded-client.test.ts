import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient, LibsqlError } from "@libsql/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbeddedClient } from "../src/db/embedded-client";

/**
 * The embedded client keeps prepared statements; everything else must be what
 * `@libsql/client` does on the same file, since drizzle and the app were written against it.
 */
let fast: Client;
let reference: Client;
// Each test gets its own file: several change the table (rows, columns) that the others read.
beforeEach(async () => {
  const path = join(mkdtempSync(join(tmpdir(), "embedded-")), "t.db");
  reference = createClient({ url: `file:${path}` });
  await reference.execute("PRAGMA journal_mode = WAL");
  await reference.executeMultiple(`
    CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, age INTEGER, note TEXT, score REAL);
    INSERT INTO people VALUES ('a', 'Amy', 9, NULL, 1.5), ('b', 'Ben', 11, 'x', NULL);`);
  fast = createEmbeddedClient(path);
});
afterEach(() => {
  fast?.close();
  reference?.close();
});

const plain = (r: {
  columns: string[];
  columnTypes: string[];
  rows: unknown[];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}) => ({
  columns: r.columns,
  columnTypes: r.columnTypes,
  rows: r.rows.map((row) => ({ indexed: Array.from(row as ArrayLike<unknown>), named: { ...(row as object) } })),
  rowsAffected: r.rowsAffected,
  lastInsertRowid: r.lastInsertRowid,
});

describe("the embedded client", () => {
  it("returns what @libsql/client returns, the second time (from its statement cache) too", async () => {
    for (const stmt of [
      { sql: "SELECT * FROM people ORDER BY id", args: [] },
      { sql: "SELECT name, age * 2 AS twice FROM people WHERE age > ?", args: [10] },
      { sql: "SELECT count(*) AS n, max(score) AS top FROM people WHERE name = :name", args: { name: "Amy" } },
    ]) {
      const expected = plain(await reference.execute(stmt));
      expect(plain(await fast.execute(stmt))).toEqual(expected);
      expect(plain(await fast.execute(stmt))).toEqual(expected);
    }
    const ins = await fast.execute({ sql: "INSERT INTO people (id, name, age) VALUES (?, ?, ?)", args: ["c", "Cat", true] });
    expect(ins.rowsAffected).toBe(1);
    expect((await reference.execute("SELECT age FROM people WHERE id = 'c'")).rows[0]!.age).toBe(1);
  });

  it("reports a unique violation with the codes the app reads", async () => {
    const err = await fast.execute({ sql: "INSERT INTO people (id, name) VALUES (?, ?)", args: ["a", "Again"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibsqlError);
    expect((err as LibsqlError).code).toBe("SQLITE_CONSTRAINT");
    expect((err as LibsqlError).extendedCode).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
    expect((err as Error).message).toMatch(/UNIQUE constraint failed/);
  });

  it("keeps a transaction's writes to itself until commit, and drops them on rollback", async () => {
    const tx = await fast.transaction("write");
    await tx.execute({ sql: "INSERT INTO people (id, name) VALUES (?, ?)", args: ["t1", "Tia"] });
    expect((await tx.execute("SELECT count(*) AS n FROM people WHERE id = 't1'")).rows[0]!.n).toBe(1);
    expect((await fast.execute("SELECT count(*) AS n FROM people WHERE id = 't1'")).rows[0]!.n).toBe(0);
    await tx.rollback();
    expect(tx.closed).toBe(true);
    expect((await fast.execute("SELECT count(*) AS n FROM people WHERE id = 't1'")).rows[0]!.n).toBe(0);

    const tx2 = await fast.transaction("write");
    await tx2.execute({ sql: "INSERT INTO people (id, name) VALUES (?, ?)", args: ["t2", "Tom"] });
    await tx2.commit();
    expect((await reference.execute("SELECT name FROM people WHERE id = 't2'")).rows[0]!.name).toBe("Tom");
    await expect(tx2.execute("SELECT 1")).rejects.toThrow(/closed/);
  });

  it("rolls back a batch that fails part-way", async () => {
    const err = await fast
      .batch(
        [
          { sql: "INSERT INTO people (id, name) VALUES ('d', 'Dee')", args: [] },
          { sql: "INSERT INTO people (id, name) VALUES ('a', 'Dup')", args: [] },
        ],
        "write",
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibsqlError);
    expect((await fast.execute("SELECT count(*) AS n FROM people WHERE id = 'd'")).rows[0]!.n).toBe(0);
  });

  it("sees a changed table through a statement it had prepared before the change", async () => {
    expect((await fast.execute("SELECT * FROM people WHERE id = 'a'")).columns).toEqual(["id", "name", "age", "note", "score"]);
    await reference.execute("ALTER TABLE people ADD COLUMN team TEXT DEFAULT 'North'");
    const after = await fast.execute("SELECT * FROM people WHERE id = 'a'");
    expect(after.columns).toEqual(["id", "name", "age", "note", "score", "team"]);
    expect(after.rows[0]!.team).toBe("North");
  });

  it("sees a renamed column through a statement it had prepared before the rename", async () => {
    expect((await fast.execute("SELECT * FROM people WHERE id = 'b'")).columns).toContain("note");
    await fast.execute("ALTER TABLE people RENAME COLUMN note TO remark");
    const after = await fast.execute("SELECT * FROM people WHERE id = 'b'");
    expect(after.columns).toContain("remark");
    expect(after.rows[0]!.remark).toBe("x");
  });

  it("still answers after more distinct statements than its cache holds", async () => {
    for (let i = 0; i < 1100; i++) expect((await fast.execute(`SELECT ${i} AS n`)).rows[0]!.n).toBe(i);
    expect((await fast.execute("SELECT 0 AS n")).rows[0]!.n).toBe(0);
  });
});
