import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTransport } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dispatchDue, type Transports } from "../src/notifications/dispatch";
import { verifyWebhook } from "../src/notifications/webhook-signature";
import { createTestApp, expectProblem, type TestApp } from "./support/app";
import { enquire, enquiryBody, type Setup, setupAuthority } from "./support/enquiry";
import { createChild, createWorker } from "./support/fixtures";

/**
 * Notifications that reach people: the outbox written with the enquiry, sent by the
 * dispatcher through a real SMTP server and to a real HTTP receiver (which fails twice
 * first), retried, signed, and never sent twice.
 */
const SECRET = "webhook-secret-for-the-case-system-0123456789";
const mails: { to: string; raw: string }[] = [];
let refuseNextMailTo: string | null = null;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(address, _session, cb) {
    if (address.address === refuseNextMailTo) {
      refuseNextMailTo = null;
      const err = Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 });
      return cb(err);
    }
    cb();
  },
  onData(stream, session, cb) {
    let raw = "";
    stream.on("data", (d: Buffer) => (raw += d.toString("utf8")));
    stream.on("end", () => {
      for (const r of session.envelope.rcptTo) mails.push({ to: r.address, raw });
      cb();
    });
  },
});
/** A message as a person reads it: headers unfolded, quoted-printable decoded. */
const readable = (raw: string) =>
  raw
    .replace(/\r\n[ \t]+/g, " ")
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
const hooks: { body: string; signature: string | undefined; delivery: string | undefined }[] = [];
let failHooks = 2;
const receiver: Server = createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => (body += d.toString("utf8")));
  req.on("end", () => {
    if (failHooks > 0) {
      failHooks--;
      res.writeHead(503).end();
      return;
    }
    hooks.push({
      body,
      signature: req.headers["x-register-signature"] as string | undefined,
      delivery: req.headers["x-register-delivery"] as string | undefined,
    });
    res.writeHead(200).end();
  });
});

let t: TestApp;
let s: Setup;
let smtpPort: number;
let hookUrl: string;
let worker: { id: string };
let child: { id: string };
const transports = (): Transports => {
  const mailer = createTransport({ host: "127.0.0.1", port: smtpPort, secure: false, ignoreTLS: true });
  return { sendMail: (m) => mailer.sendMail(m), fetch };
};
const opts = {
  publicUrl: "https://register.example.gov.uk",
  mailFrom: "Register <register@example.gov.uk>",
  webhookTargets: { appEnv: "test" as const, testOnlyAllowLoopback: true as const },
};
const run = (tr = transports()) => dispatchDue(t.store, t.clock, tr, opts);
const later = (seconds: number) => t.clock.advance(seconds * 1000);

beforeAll(async () => {
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/register-hook`;
});
// Each test has its own register, clock, mailbox and case system: they count what was sent and read the clock.
beforeEach(async () => {
  mails.length = 0;
  hooks.length = 0;
  refuseNextMailTo = null;
  failHooks = 2;
  t = await createTestApp({ now: "2026-11-24T10:00:00Z", env: { ENQUIRY_LIMIT: "3" }, allowLoopbackWebhooks: true });
  s = await setupAuthority(t, "DELIV");
  worker = await createWorker(t, s.tokens.dm, "DELIV", { name: "Kim Mailer", email: "kim.mailer@deliv.gov.uk", userId: "kw-kim" });
  child = await createChild(t, s.tokens.dm, "DELIV", {
    givenNames: "Rosa",
    familyName: "Quill",
    dateOfBirth: "2016-02-02",
    aliases: [],
    addresses: [],
  });
  await t.call("POST", `/v1/children/${child.id}/cases`, {
    token: s.tokens.dm,
    body: { type: "child_protection", openedOn: "2026-05-20", keyWorkerId: worker.id },
  });
});
afterEach(() => {
  t?.close();
});
afterAll(async () => {
  smtp.close();
  receiver.close();
});

/** The custodian's email and the case system's signed webhook. */
async function configureDelivery() {
  const put = await t.call("PUT", "/v1/authorities/DELIV/delivery", {
    token: s.tokens.dm,
    body: { custodianEmail: "custodian@deliv.gov.uk", webhook: { url: hookUrl, secret: SECRET } },
  });
  if (put.status !== 200) throw new Error(`delivery: ${put.status} ${JSON.stringify(put.body)}`);
}

/**
 * An enquiry about Kim Mailer's child, and the dispatcher run through a busy mailbox (451) and a
 * case system down twice (503) until both are sent: what each run and the inbox said on the way.
 */
async function notifyKeyWorker() {
  await configureDelivery();
  const e = await enquire(
    t,
    s.tokens.sergeant,
    enquiryBody("DELIV", { givenNames: "Rosa", familyName: "Quill", dateOfBirth: "2016-02-02" }),
  );
  const kim = await t.token({ sub: "kw-kim", name: "Kim Mailer", roles: ["key_worker"], authorities: ["DELIV"] });
  const inbox = async () => (await t.call("GET", "/v1/notifications", { token: kim })).body.items;
  const queued = (await inbox())[0].delivery;
  // First run: the mailbox is busy (451) and the case system is down (503).
  refuseNextMailTo = "kim.mailer@deliv.gov.uk";
  const firstRun = await run();
  const mailsAfterFirstRun = mails.length;
  // Not due again yet: nothing is tried.
  const tooSoon = await run();
  later(31);
  const secondRun = await run();
  later(61);
  const thirdRun = await run();
  const sent = (await inbox())[0].delivery;
  return { enquiryRef: e.reference, queued, firstRun, mailsAfterFirstRun, tooSoon, secondRun, thirdRun, sent };
}

describe("an authority's delivery settings", () => {
  it("takes the custodian's email and a signed webhook, never shows or audits the secret, and refuses bad ones", async () => {
    const put = await t.call("PUT", "/v1/authorities/DELIV/delivery", {
      token: s.tokens.dm,
      body: { custodianEmail: "custodian@deliv.gov.uk", webhook: { url: hookUrl, secret: SECRET } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      custodianEmail: "custodian@deliv.gov.uk",
      webhook: { url: hookUrl },
      healthContactEmail: null,
      educationContactEmail: null,
    });
    expect((await t.call("GET", "/v1/authorities/DELIV/delivery", { token: s.tokens.dm })).body).toEqual(put.body);
    expect(JSON.stringify((await t.call("GET", "/v1/authorities", { token: s.tokens.dm })).body)).not.toContain(SECRET);
    const audit = await t.client.execute("SELECT detail FROM audit_log WHERE action = 'authority.delivery.update'");
    expect(String(audit.rows[0]!.detail)).not.toContain(SECRET);

    const bad = await t.call("PUT", "/v1/authorities/DELIV/delivery", {
      token: s.tokens.dm,
      body: { custodianEmail: "not an email", webhook: { url: "ftp://x", secret: "short" } },
    });
    expectProblem(bad, 422);
    expect([...new Set(bad.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual([
      "custodianEmail",
      "webhook.secret",
      "webhook.url",
    ]);
    // Plain http to another host: allowed outside production (test/security/webhook-targets.test.ts has production's rule), but not inside even with the loopback opt-in.
    const inside = await t.call("PUT", "/v1/authorities/DELIV/delivery", {
      token: s.tokens.dm,
      body: { custodianEmail: null, webhook: { url: "http://10.1.2.3/hook", secret: SECRET } },
    });
    expect(expectProblem(inside, 422).errors).toEqual([{ path: "webhook.url", message: "must not be a private address" }]);
    const other = await t.token({ sub: "dm-x", roles: ["designated_manager"], authorities: ["XAUTH"] });
    expectProblem(await t.call("GET", "/v1/authorities/DELIV/delivery", { token: other }), 404);
  });
});

describe("a key worker's notification goes out by email and webhook", () => {
  it("is queued with the enquiry, retried through failures, and then shown as sent in the inbox", async () => {
    const n = await notifyKeyWorker();
    expect(n.queued).toEqual([
      { channel: "email", status: "pending", attempts: 0, sentAt: null },
      { channel: "webhook", status: "pending", attempts: 0, sentAt: null },
    ]);

    // First run: the mailbox is busy (451) and the case system is down (503).
    expect(n.firstRun).toEqual({ sent: 0, retried: 2, failed: 0 });
    expect(n.mailsAfterFirstRun).toBe(0);
    // Not due again yet: nothing is tried.
    expect(n.tooSoon).toEqual({ sent: 0, retried: 0, failed: 0 });

    // 31 seconds later, then 61 more.
    expect(n.secondRun).toEqual({ sent: 1, retried: 1, failed: 0 });
    expect(n.thirdRun).toEqual({ sent: 1, retried: 0, failed: 0 });

    expect(n.sent).toEqual([
      { channel: "email", status: "sent", attempts: 2, sentAt: expect.any(String) },
      { channel: "webhook", status: "sent", attempts: 3, sentAt: expect.any(String) },
    ]);
  });

  it("says only that there is an enquiry to read, with its reference and a link", async () => {
    const { enquiryRef } = await notifyKeyWorker();
    expect(mails).toHaveLength(1);
    const { to } = mails[0]!;
    const raw = readable(mails[0]!.raw);
    expect(to).toBe("kim.mailer@deliv.gov.uk");
    expect(raw).toContain(`Subject: Enquiry ${enquiryRef} about a child you work with`);
    expect(raw).toContain("https://register.example.gov.uk/v1/notifications?unread=true");
    expect(raw).not.toMatch(/Rosa|Quill|2016-02-02/);
  });

  it("signs the webhook so the case system can check it and refuse a replay", async () => {
    const { enquiryRef } = await notifyKeyWorker();
    expect(hooks).toHaveLength(1);
    const { body, signature, delivery } = hooks[0]!;
    const now = Math.floor(t.clock.now().getTime() / 1000);
    expect(verifyWebhook(SECRET, signature, body, now)).toBe(true);
    expect(verifyWebhook(SECRET, signature, body.replace(enquiryRef, "ENQ-999999"), now)).toBe(false);
    expect(verifyWebhook("another-secret-of-the-same-length-0123456789", signature, body, now)).toBe(false);
    expect(verifyWebhook(SECRET, signature, body, now + 600)).toBe(false);
    expect(JSON.parse(body)).toMatchObject({
      id: delivery,
      type: "key_worker_notification",
      authority: "DELIV",
      reference: enquiryRef,
      link: "https://register.example.gov.uk/v1/notifications?unread=true",
    });
    expect(body).not.toMatch(/Rosa|Quill/);
  });

  it("sends nothing twice, by a new dispatcher after a restart either", async () => {
    await notifyKeyWorker();
    later(3600);
    expect(await run(transports())).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(mails).toHaveLength(1);
    expect(hooks).toHaveLength(1);
  });
});

describe("the register custodian hears of considerations and trawls", () => {
  it("is emailed when a second enquiry about an unknown child opens a consideration, and when a login trawls", async () => {
    // The key worker's notification has gone out by webhook first.
    await notifyKeyWorker();
    later(3600);
    const unknown = { givenNames: "Nemo", familyName: "Nowhere", dateOfBirth: "2018-03-03" };
    await enquire(t, s.tokens.nurse, enquiryBody("DELIV", unknown, { callbackNumber: "0113 496 0200" }));
    await enquire(t, s.tokens.head, enquiryBody("DELIV", unknown, { callbackNumber: "020 7946 0300" }));
    // The head teacher's third enquiry in the window is the last allowed (ENQUIRY_LIMIT=3 here).
    for (let i = 0; i < 2; i++)
      await enquire(
        t,
        s.tokens.head,
        enquiryBody(
          "DELIV",
          // Two different children: near-miss names born the same day would be linked for the manager to judge.
          { givenNames: ["Alfie", "Zara"][i], familyName: "Fishing", dateOfBirth: "2015-01-01" },
          { callbackNumber: "020 7946 0300" },
        ),
      );
    expect(
      (
        await t.call("POST", "/v1/enquiries", {
          token: s.tokens.head,
          body: enquiryBody(
            "DELIV",
            { givenNames: "Trawl9", familyName: "Fishing", dateOfBirth: "2015-01-01" },
            { callbackNumber: "020 7946 0300" },
          ),
        })
      ).status,
    ).toBe(429);
    failHooks = 0;
    later(1);
    await run();
    const subjects = mails.filter((m) => m.to === "custodian@deliv.gov.uk").map((m) => /Subject: (.*)/.exec(readable(m.raw))![1]!);
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.stringContaining("consider whether this is a child in need"),
        "Possible trawl of the child protection register",
      ]),
    );
    expect(subjects).toHaveLength(2);
    expect(hooks.map((h) => JSON.parse(h.body).type).sort()).toEqual(["consideration_opened", "key_worker_notification", "trawl_alert"]);
  });
});
