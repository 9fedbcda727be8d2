import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Res, TEST_SECRET, type TestApp } from "../support/app";
import { enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";

/**
 * Hygiene over a whole working day's kinds of request (reads, writes, every kind of refusal and
 * a real database failure): every response carries a request id and the security headers,
 * every log line carries the request id, no error body holds a stack trace or SQL, and no log
 * line holds a token, the signing secret or anything a child could be identified by.
 */
let t: TestApp;
let s: Setup;
const responses: { what: string; res: Res }[] = [];
const tokensUsed: string[] = [];

async function call(what: string, method: string, path: string, token: string | null, body?: unknown) {
  if (token) tokensUsed.push(token);
  const res = await t.call(method, path, { token, body });
  responses.push({ what, res });
  return res;
}

beforeAll(async () => {
  t = await createTestApp();
  s = await setupAuthority(t, "HYG");
  await planChild(t, s);
  tokensUsed.push(...Object.values(s.tokens));
  const forged = `${s.tokens.dm.slice(0, -6)}AAAAAA`;
  await call("a read", "GET", "/v1/children?q=Hartley", s.tokens.dm);
  await call(
    "an enquiry",
    "POST",
    "/v1/enquiries",
    s.tokens.sergeant,
    enquiryBody("HYG", { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }),
  );
  await call("the queue", "GET", "/v1/callbacks", s.tokens.edt);
  await call("no token", "GET", "/v1/children?q=Hartley", null);
  await call("a forged token", "GET", "/v1/children?q=Hartley", forged);
  await call("the wrong role", "GET", "/v1/children?q=Hartley", s.tokens.sergeant);
  await call("an invalid body", "POST", "/v1/children", s.tokens.dm, {
    authority: "HYG",
    givenNames: "Zachary",
    familyName: "Quill",
    dateOfBirth: "2023-02-29",
  });
  await call("not found", "GET", "/v1/children/00000000-0000-0000-0000-000000000000", s.tokens.dm);
  // A real failure inside the database: the enquiry about a plan child must write a
  // notification, and that table is gone.
  await t.client.execute("DROP TABLE notifications");
  await call(
    "a database failure",
    "POST",
    "/v1/enquiries",
    s.tokens.nurse,
    enquiryBody(
      "HYG",
      { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" },
      { callbackNumber: "0113 496 0200" },
    ),
  );
});
afterAll(() => t?.close());

describe("hygiene", () => {
  it("exercised every kind of outcome", () => {
    expect(responses.map((r) => r.res.status).sort()).toEqual([200, 200, 201, 401, 401, 403, 404, 422, 500]);
  });

  it("gives every response a request id and the security headers", () => {
    for (const { what, res } of responses) {
      expect(res.headers.get("x-request-id"), what).toMatch(/^[\w-]{8,}$/);
      expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), what).toBe("SAMEORIGIN");
      expect(res.headers.get("strict-transport-security"), what).toMatch(/max-age=\d+/);
      expect(res.headers.get("referrer-policy"), what).toBe("no-referrer");
      expect(res.headers.get("cache-control"), what).toBe("no-store");
    }
  });

  it("puts no stack trace, SQL or database message in any error body", () => {
    for (const { what, res } of responses.filter((r) => r.res.status >= 400)) {
      const text = JSON.stringify(res.body);
      expect(text, what).not.toMatch(
        /\bat .+:\d+:\d+|\.ts\b|node_modules|SQLITE|no such table|insert into|select .* from|notifications|LibsqlError|params/i,
      );
      expect(res.body.requestId ?? res.body.detail, what).toBeTruthy();
    }
    const failure = responses.find((r) => r.res.status === 500)!.res;
    expect(failure.body.detail).toContain(failure.headers.get("x-request-id"));
  });

  it("logs every request once, each line with its request id, and the failure with the database's reason", () => {
    const ids = responses.map((r) => r.res.headers.get("x-request-id"));
    const requestLines = t.logs.filter((l) => typeof l.status === "number");
    for (const id of ids)
      expect(
        requestLines.filter((l) => l.requestId === id),
        `one line for ${id}`,
      ).toHaveLength(1);
    for (const line of t.logs) expect(line.requestId, JSON.stringify(line)).toBeTruthy();
    const failure = responses.find((r) => r.res.status === 500)!.res.headers.get("x-request-id");
    const error = t.logs.find((l) => l.level === "error" && l.requestId === failure);
    expect(String(error?.error)).toMatch(/no such table: notifications/);
  });

  it("never logs a token, the signing secret, or a child's name, date of birth or address", () => {
    const log = JSON.stringify(t.logs);
    for (const token of tokensUsed) {
      expect(log).not.toContain(token.split(".")[2]!); // the signature alone would be enough
      expect(log).not.toContain(token.split(".")[1]!);
    }
    expect(log).not.toContain(TEST_SECRET);
    expect(log).not.toMatch(/bearer/i);
    expect(log).not.toMatch(/Amelia|Hartley|Zachary|Quill|2016-04-09|High Street|ST16/);
  });
});
