import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { createEmbeddedClient } from "../../src/db/embedded-client";

// The embedded client promises @libsql/client's Row contract, odd column names included
// (an outside review found the shared-prototype rows broke on these). Compare both on one file.
const both = () => {
  const dir = mkdtempSync(join(tmpdir(), "rows-"));
  const path = join(dir, "r.db");
  return { dir, ours: createEmbeddedClient(path), theirs: createClient({ url: `file:${path}` }) };
};
const shape = (r: any) => ({
  length: r.length,
  idx: Array.from({ length: r.length }, (_, i) => r[i]),
  keys: Object.keys(r),
  json: JSON.stringify(r),
});

describe("rows: same contract as @libsql/client", () => {
  for (const sql of [
    "SELECT 1, 2",
    "SELECT 'a', 1",
    "SELECT 7 AS a, 8 AS length",
    'SELECT 5 AS x, 6 AS "0"',
    "SELECT 1 AS __proto__, 2 AS b",
  ]) {
    it(sql, async () => {
      const { dir, ours, theirs } = both();
      try {
        const expected = shape((await theirs.execute(sql)).rows[0]);
        const got = shape((await ours.execute(sql)).rows[0]);
        expect(got).toEqual(expected);
      } finally {
        ours.close();
        theirs.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
