import type { Client, InStatement } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";

/** A login already at the fishing limit is refused before the register is searched. */
const sent: string[] = [];
function recording(c: Client): Client {
  return new Proxy(c, {
    get(t, prop, r) {
      const v = Reflect.get(t, prop, r);
      if (prop === "execute")
        return (s: InStatement, a?: never) => {
          sent.push(typeof s === "string" ? s : s.sql);
          return t.execute(s as never, a);
        };
      if (prop === "transaction") return async (m?: never) => recording((await t.transaction(m)) as unknown as Client);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}

let t: TestApp;
let s: Setup;
beforeAll(async () => {
  t = await createTestApp({ env: { ENQUIRY_LIMIT: "2" }, wrapClient: recording });
  s = await setupAuthority(t, "EARLY");
  await planChild(t, s);
});
afterAll(() => t.close());

describe("the fishing control", () => {
  it("searches the register for an enquiry under the limit, and not for one over it", async () => {
    const body = enquiryBody("EARLY", { givenNames: "Amelia", familyName: "Hartley", dateOfBirth: "2016-04-09" });
    sent.length = 0;
    await enquire(t, s.tokens.sergeant, body);
    expect(sent.some((q) => /from "children"/.test(q))).toBe(true);
    await enquire(t, s.tokens.sergeant, body);
    sent.length = 0;
    expectProblem(await t.call("POST", "/v1/enquiries", { token: s.tokens.sergeant, body }), 429);
    expect(sent.some((q) => /from "children"/.test(q))).toBe(false);
  });
});
