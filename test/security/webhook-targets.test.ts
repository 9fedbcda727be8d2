import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchDue, type Transports } from "../../src/notifications/dispatch";
import { webhookUrlProblem } from "../../src/notifications/webhook-target";
import { createTestApp, expectProblem, type TestApp } from "../support/app";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";

/**
 * The dispatcher posts from inside the deployment, so a webhook address pointing inside (the
 * metadata service, loopback, the private network) is refused when saved, and again before
 * each send after resolving the name (a name may resolve elsewhere by then).
 */
const SECRET = "webhook-secret-for-the-case-system-0123456789";
let t: TestApp;
let s: Setup;
let receiverUrl: string;
const received: string[] = [];
const receiver: Server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received.push(req.url ?? "");
    res.writeHead(200).end();
  });
});
// A public-looking case system that answers with a redirect inside.
let redirectTarget = "";
const redirector: Server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(307, { location: redirectTarget }).end());
});
const opts = {
  publicUrl: "https://register.example.gov.uk",
  mailFrom: "Register <register@example.gov.uk>",
  webhookTargets: { appEnv: "test" as const },
};
const put = (url: string) =>
  t.call("PUT", `/v1/authorities/${s.code}/delivery`, {
    token: s.tokens.dm,
    body: { custodianEmail: null, webhook: { url, secret: SECRET } },
  });
const webhookRows = async (recipient: string) =>
  (
    await t.client.execute({
      sql: "SELECT status, attempts, last_error AS lastError FROM outbox WHERE channel = 'webhook' AND recipient = ?",
      args: [recipient],
    })
  ).rows;
const notify = () =>
  enquire(t, s.tokens.sergeant, enquiryBody(s.code, { givenNames: "Amelia Rose", familyName: "Hartley", dateOfBirth: "2016-04-09" }));

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
  redirectTarget = `${receiverUrl}?redirected`;
  t = await createTestApp({ now: "2026-11-24T10:00:00Z" });
  s = await setupAuthority(t, "HOOKS");
  await planChild(t, s);
});
afterAll(() => {
  t?.close();
  receiver.close();
  redirector.close();
});

describe("a webhook address is refused when saved if it points inside", () => {
  it.each([
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/",
    "http://127.0.0.1:6379/",
    "http://2130706433/",
    "http://0x7f.1/",
    "https://017700000001/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://172.16.5.4/",
    "https://192.168.0.10/",
    "https://100.64.0.1/",
    "https://169.254.1.1/",
    "https://[fe80::1]/",
    "https://[fd12:3456::1]/",
    "https://[fd00:ec2::254]/",
    "https://0.0.0.0/",
    "https://[::]/",
    "https://224.0.0.1/",
    "https://[ff02::1]/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://localhost/",
    "https://LOCALHOST./",
    "https://case-system.localhost/",
  ])("%s is 422 naming webhook.url, and nothing is saved", async (url) => {
    const res = await put(url);
    expectProblem(res, 422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["webhook.url"]);
    expect((await t.call("GET", `/v1/authorities/${s.code}/delivery`, { token: s.tokens.dm })).body.webhook).toBeNull();
  });

  it("a public address is taken; plain http only outside production", async () => {
    expect((await put("https://case-system.example.gov.uk/hook")).status).toBe(200);
    expect((await put("http://case-system.example.gov.uk/hook")).status).toBe(200);
    expect(webhookUrlProblem("http://case-system.example.gov.uk/hook", { appEnv: "production" })).toBe("must be an https:// address");
    expect(webhookUrlProblem("https://case-system.example.gov.uk/hook", { appEnv: "production" })).toBeNull();
    // The tests' loopback opt-in lets loopback through and nothing else.
    expect(webhookUrlProblem("http://10.0.0.1/", { appEnv: "test", testOnlyAllowLoopback: true })).toBe("must not be a private address");
    expect(
      (await t.call("PUT", `/v1/authorities/${s.code}/delivery`, { token: s.tokens.dm, body: { custodianEmail: null, webhook: null } }))
        .status,
    ).toBe(200);
  });
});

describe("and again at send time", () => {
  it("an internal address already saved (before this check) is not posted to: the attempt fails and is retried", async () => {
    await t.client.execute({
      sql: "UPDATE authorities SET webhook_url = ?, webhook_secret = ? WHERE code = ?",
      args: [receiverUrl, SECRET, s.code],
    });
    await notify();
    const r = await dispatchDue(t.store, t.clock, { fetch }, opts);
    expect(r).toMatchObject({ sent: 0, retried: 1 });
    expect(received).toEqual([]);
    const [row] = await webhookRows(receiverUrl);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(String(row!.lastError)).toContain("loopback");
    expect(String(row!.lastError)).not.toContain(SECRET);
    await t.client.execute({ sql: "UPDATE authorities SET webhook_url = NULL, webhook_secret = NULL WHERE code = ?", args: [s.code] });
    await t.client.execute({ sql: "DELETE FROM outbox WHERE recipient = ?", args: [receiverUrl] });
  });

  it("a redirect is not followed: the attempt fails and nothing reaches the address it points to", async () => {
    const url = "https://case-system.example.gov.uk/redirecting";
    expect((await put(url)).status).toBe(200);
    await notify();
    const port = (redirector.address() as AddressInfo).port;
    // The name is taken as public; the connection goes to the test's redirector, as a rebinding would.
    const tr: Transports = {
      fetch: ((input: string, init: RequestInit) =>
        fetch(String(input).replace("https://case-system.example.gov.uk", `http://127.0.0.1:${port}`), init)) as typeof fetch,
      resolve: async () => ["93.184.216.34"],
    };
    expect(await dispatchDue(t.store, t.clock, tr, opts)).toMatchObject({ sent: 0, retried: 1 });
    expect(received).toEqual([]);
    expect(String((await webhookRows(url))[0]!.lastError)).toContain("307");
    await t.client.execute({ sql: "DELETE FROM outbox WHERE recipient = ?", args: [url] });
  });

  it("a name that now resolves inside (DNS rebinding) is refused if any of its addresses is internal, and sent once it resolves only outside", async () => {
    const url = "https://case-system.example.gov.uk/hook";
    expect((await put(url)).status).toBe(200);
    await notify();
    let answer = ["93.184.216.34", "127.0.0.1"];
    const posted: string[] = [];
    const tr: Transports = {
      fetch: (async (input: string | URL | Request) => {
        posted.push(String(input));
        return new Response(null, { status: 200 });
      }) as typeof fetch,
      resolve: async () => answer,
    };
    expect(await dispatchDue(t.store, t.clock, tr, opts)).toMatchObject({ sent: 0, retried: 1 });
    expect(posted).toEqual([]);
    expect(String((await webhookRows(url))[0]!.lastError)).toMatch(/resolves to a loopback address \(127\.0\.0\.1\)/);

    answer = ["::ffff:10.0.0.7"];
    t.clock.advance(31_000);
    expect(await dispatchDue(t.store, t.clock, tr, opts)).toMatchObject({ sent: 0, retried: 1 });
    expect(posted).toEqual([]);

    answer = ["93.184.216.34"];
    t.clock.advance(61_000);
    expect(await dispatchDue(t.store, t.clock, tr, opts)).toMatchObject({ sent: 1 });
    expect(posted).toEqual([url]);
    expect((await webhookRows(url))[0]).toMatchObject({ status: "sent", attempts: 3 });
  });
});
