import type { Client, InStatement } from "@libsql/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { enquiryBody, type Setup, setupAuthority } from "../support/enquiry";

/**
 * The retry of an enquiry whose first count of names (outside the write) read the window fuller
 * than the count inside it. That first count is made to read high once, so that the write finds
 * the enquirer under the limit with nothing matched and the enquiry is taken again.
 */
let staleOnce: null | ((real: Client) => Promise<void>) = null;
let retriesSeen = 0;
function staleFirstCount(c: Client): Client {
  return new Proxy(c, {
    get(target, prop, r) {
      const v = Reflect.get(target, prop, r);
      if (prop === "execute")
        return async (s: InStatement, a?: never) => {
          const text = typeof s === "string" ? s : s.sql;
          if (staleOnce && /select sum\("names_checked"\) from "enquiries"/i.test(text) && typeof s !== "string") {
            const side = staleOnce;
            staleOnce = null;
            retriesSeen++;
            await side(target);
            // The same statement and parameters, read as if the window were full.
            return target.execute({ sql: `SELECT coalesce((${text}), 0) + 100000`, args: s.args } as InStatement);
          }
          return target.execute(s as never, a);
        };
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ env: { ENQUIRY_LIMIT: "5" }, wrapClient: staleFirstCount });
  s = await setupAuthority(t, "RETRY");
});
afterAll(() => t?.close());
// Each test counts the retries of its own enquiry.
beforeEach(() => {
  staleOnce = null;
  retriesSeen = 0;
});

const body = (family: string) => enquiryBody("RETRY", { givenNames: "Rory", familyName: family, dateOfBirth: "2014-04-04" });
const countEnquiries = async () => Number((await t.client.execute("SELECT count(*) AS n FROM enquiries")).rows[0]!.n);

describe("an enquiry taken again after a stale first count", () => {
  it("is written once, with one enquiry.submit audit row, after a stale first count", async () => {
    staleOnce = async () => {};
    const before = await countEnquiries();
    const res = await t.call("POST", "/v1/enquiries", { token: s.tokens.sergeant, body: body("Retryone") });
    expect(retriesSeen).toBe(1);
    expect(res.status).toBe(201);
    expect(await countEnquiries()).toBe(before + 1);
    const audits = await t.client.execute({
      sql: "SELECT count(*) AS n FROM audit_log WHERE action = 'enquiry.submit' AND target_id = ?",
      args: [res.body.id],
    });
    expect(Number(audits.rows[0]!.n)).toBe(1);
  });

  it("is checked again on its retry: an authority that stopped taking the profession meanwhile refuses it (403)", async () => {
    // Between the first count and the retry, the designated manager narrows the authority's list
    // of eligible professions so that police sergeants may no longer enquire.
    staleOnce = async (real) => {
      await real.execute({ sql: "UPDATE authorities SET eligible_professions = ? WHERE code = 'RETRY'", args: ['["registered_nurse"]'] });
    };
    const before = await countEnquiries();
    const res = await t.call("POST", "/v1/enquiries", { token: s.tokens.sergeant, body: body("Retrytwo") });
    await t.client.execute("UPDATE authorities SET eligible_professions = NULL WHERE code = 'RETRY'");

    expect(res.status).toBe(403);
    expect(await countEnquiries()).toBe(before);
  });
});
