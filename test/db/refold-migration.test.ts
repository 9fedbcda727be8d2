import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/db/migrate";
import { fold } from "../../src/lib/text";
import { familyNameKey, nameKey } from "../../src/register/names";
import { createTestApp, type TestApp } from "../support/app";
import { enquire, enquiryBody, queueItem, type Setup, setupAuthority } from "../support/enquiry";
import { createChild } from "../support/fixtures";

// Migration 0019 brings keys stored under the old fold (ł, ı, đ, ø, ß… kept as they were) in
// line with src/lib/text.ts, so a register imported before it still finds "Lukasz" for "Łukasz".
let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ now: "2026-11-23T11:00:00Z" });
  s = await setupAuthority(t, "FOLD");
});
afterAll(() => t.close());

const oldFold = (x: string) =>
  x
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’'`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

describe("migration 0019: name keys refolded", () => {
  it("turns keys stored under the old fold into the new ones, and the register then answers the plain spelling", async () => {
    const child = await createChild(t, s.tokens.dm, "FOLD", {
      givenNames: "Łukasz Ørsted",
      familyName: "Szczygieł-Strauß",
      dateOfBirth: "2014-02-02",
      aliases: [{ familyName: "Kılıç" }],
      addresses: [{ line1: "1 Łąkowa", postcode: "ST16 2LH", from: "2014-02-02" }],
    });
    // As an older release stored them.
    await t.client.execute({
      sql: "UPDATE children SET given_key = ?, family_key = ?, search_text = ? WHERE id = ?",
      args: [
        oldFold("Łukasz Ørsted"),
        oldFold("Szczygieł Strauß").replace(/ /g, ""),
        ` ${oldFold("Łukasz Ørsted Szczygieł Strauß")} `,
        child.id,
      ],
    });
    await t.client.execute({ sql: "UPDATE child_aliases SET family_key = ? WHERE child_id = ?", args: [oldFold("Kılıç"), child.id] });
    const sql = readFileSync(join(MIGRATIONS_FOLDER, "0019_refold_name_keys.sql"), "utf8");
    for (const statement of sql.split("--> statement-breakpoint")) await t.client.execute(statement);
    const row = (await t.client.execute({ sql: "SELECT given_key, family_key, search_text FROM children WHERE id = ?", args: [child.id] }))
      .rows[0]!;
    expect([row.given_key, row.family_key]).toEqual([nameKey("Łukasz Ørsted"), familyNameKey("Szczygieł-Strauß")]);
    expect(String(row.search_text)).toContain(" lukasz orsted szczygiel strauss ");
    const alias = (await t.client.execute({ sql: "SELECT family_key FROM child_aliases WHERE child_id = ?", args: [child.id] })).rows[0]!;
    expect(alias.family_key).toBe(familyNameKey("Kılıç"));
    expect(fold("Kılıç")).toBe("kilic");
    const e = await enquire(
      t,
      s.tokens.sergeant,
      enquiryBody("FOLD", { givenNames: "Lukasz", familyName: "Kilic", dateOfBirth: "2014-02-02" }),
    );
    expect((await queueItem(t, s.tokens.edt, e.id)).answer).toMatchObject({ match: "known", child: { id: child.id } });
  });
});
