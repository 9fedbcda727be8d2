import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enquire, enquiryBody, planChild, type Setup, setupAuthority } from "../support/enquiry";
import { checkPage, type Desks, expectAccessible, personAt, screenshot, signIn, startDesks } from "./support";

/**
 * Each desk walked as its user would, in headless Chromium, signed in through a real OpenID
 * Connect provider. One story: a health visitor asks about a child on a plan (by her short
 * name, so a possible match), the Emergency Duty Team officer sees it arrive, settles it and
 * calls back, the key worker opens the notification, the designated manager decides a
 * child-in-need consideration and takes the Board's figures, and the auditor checks the log.
 */
const A = "STAFFS";
let d: Desks;
let s: Setup;
let child: { id: string };
let edt: Page;
const story: { enquiryId?: string; reference?: string } = {};

beforeAll(async () => {
  d = await startDesks(
    {
      hannah: { name: "Hannah Vale", roles: ["enquirer"], profession: "health_visitor", agency: `${A} Health Visiting` },
      kim: { name: "Sgt Kim Rowe", roles: ["enquirer"], profession: "police_sergeant", agency: `${A} Police` },
      eddie: { name: "Eddie Duty", roles: ["duty_officer"], authorities: [A] },
      [`kw-sam-${A}`]: { name: "Sam Patel", roles: ["key_worker"], authorities: [A] },
      dee: { name: "Dee Manager", roles: ["designated_manager"], authorities: [A] },
      audrey: { name: "Audrey Auditor", roles: ["auditor"], authorities: [A] },
      nobody: { name: "No Roles", roles: [] },
      "two-hats": { name: "Pat Two-Hats", roles: ["designated_manager", "auditor"], authorities: [A] },
    },
    // A Monday evening: out of office hours, so the Emergency Duty Team answers.
    { now: "2026-11-23T21:30:00Z" },
  );
  s = await setupAuthority(d.t, A);
  await d.t.call("POST", "/v1/agencies", {
    token: s.tokens.dm,
    body: { name: `${A} Health Visiting`, recognisedNumbers: ["0113 496 0500"] },
  });
  child = await planChild(d.t, s);
  // Two enquiries about a child the register does not know: a consideration for the designated manager.
  for (const token of [s.tokens.sergeant, s.tokens.nurse])
    await enquire(
      d.t,
      token,
      enquiryBody(
        A,
        { givenNames: "Jayden", familyName: "Price", dateOfBirth: "2019-07-01" },
        { callbackNumber: token === s.tokens.nurse ? "0113 496 0200" : "0121 496 0100" },
      ),
    );
});
afterAll(async () => {
  await d?.close();
});

describe("the desks in a browser", () => {
  it("the EDT officer signs in and opens the call-back queue", async () => {
    edt = (await personAt(d)).page;
    await signIn(edt, "eddie");
    await expect(edt.getByRole("heading", { name: "Call-back queue" })).toBeDefined();
    expect(new URL(edt.url()).pathname).toBe("/duty");
    await checkPage(edt);
  });

  it("the health visitor submits an enquiry with a mistake and corrects it from the error message", async () => {
    const { page } = await personAt(d);
    await signIn(page, "hannah");
    expect(new URL(page.url()).pathname).toBe("/enquiries");
    await page.getByRole("button", { name: "Make an enquiry" }).click();
    await checkPage(page);
    await page.getByLabel("The child's given names").fill("Millie");
    await page.getByLabel("The child's family name").fill("Hartley");
    await page.getByRole("group", { name: "Date of birth", exact: true }).getByLabel("Day").fill("9");
    await page.getByRole("group", { name: "Date of birth", exact: true }).getByLabel("Month").fill("4");
    await page.getByRole("group", { name: "Date of birth", exact: true }).getByLabel("Year").fill("2016");
    await page.getByLabel("Female").check();
    await page.getByLabel("The number to call you back on").fill("0113 496 0500");
    // The mistake: no reason given.
    await page.getByRole("button", { name: "Send enquiry" }).click();
    const summary = page.locator(".govuk-error-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("Enter the reason for your enquiry");
    expect(await page.title()).toMatch(/^Error: /);
    // What she typed is kept.
    expect(await page.getByLabel("The child's given names").inputValue()).toBe("Millie");
    await checkPage(page);
    await screenshot(page, "enquirer-form-error");
    await summary.getByRole("link", { name: "Enter the reason for your enquiry" }).click();
    await page.locator("#reason").fill("Bruising seen on a home visit; mother says Millie fell at nursery.");
    await page.getByRole("button", { name: "Send enquiry" }).click();
    await page.locator(".govuk-panel--confirmation").waitFor();
    story.reference = (await page.locator(".govuk-panel__body strong").textContent())!.trim();
    story.enquiryId = new URL(page.url()).pathname.split("/").pop()!;
    expect(story.reference).toMatch(/^ENQ-\d{6}$/);
    expect(await page.locator("main").textContent()).toContain("0113 496 0500");
    // No child's details in the address bar or the title.
    expect(page.url()).not.toMatch(/Millie|Hartley/i);
    expect(await page.title()).not.toMatch(/Millie|Hartley/i);
    await checkPage(page);
    await screenshot(page, "enquirer-sent");
  });

  it("the EDT officer sees it appear without reloading, settles the possible match and completes the call-back", async () => {
    const row = edt.locator("#queue").getByRole("link", { name: story.reference! });
    await row.waitFor({ timeout: 20_000 });
    expect(await edt.locator("#queue-status").textContent()).toMatch(/new enquiry/i);
    await screenshot(edt, "duty-queue");
    await row.click();
    await checkPage(edt);
    await edt.getByRole("button", { name: "Take this call-back" }).click();
    // A possible match: the enquiry beside the candidate, the given names highlighted as different.
    const compare = edt.locator("#compare");
    await compare.waitFor();
    expect(await compare.locator(".app-differs").first().textContent()).toContain("Amelia Rose");
    await checkPage(edt);
    await screenshot(edt, "duty-compare");
    await edt.getByLabel(/Candidate 1: Amelia Rose Hartley/).check();
    await edt.getByRole("button", { name: "Confirm" }).click();
    // The answer as a script to read out.
    const script = edt.locator("#script");
    await script.waitFor();
    const said = await script.textContent();
    expect(said).toContain("is subject of a child protection plan");
    expect(said).toContain("under the category of neglect");
    expect(said).toContain("the key worker is Sam Patel, on 0121 496 0001");
    expect(said).toContain("About the household: Mother's partner is subject to a non-molestation order.");
    await checkPage(edt);
    await screenshot(edt, "duty-script");
    await edt.getByRole("button", { name: "Complete the call-back" }).click();
    // Forgot to say which number was dialled: told so, nothing recorded.
    await edt.locator(".govuk-error-summary").waitFor();
    expect(await edt.locator(".govuk-error-summary").textContent()).toContain("Choose the number you dialled");
    await edt.getByLabel("0113 496 0500").check();
    await edt.getByRole("button", { name: "Complete the call-back" }).click();
    await edt.getByRole("heading", { name: "Answered" }).waitFor();
    const item = await d.t.call("GET", `/v1/callbacks/${story.enquiryId}`, { token: s.tokens.edt });
    expect(item.body).toMatchObject({ status: "answered", numberDialled: "+441134960500" });
  });

  it("the health visitor sees the answer she was given", async () => {
    const { page } = await personAt(d);
    await signIn(page, "hannah");
    await page.goto(`/enquiries/${story.enquiryId}`);
    expect(await page.locator("#answer").textContent()).toContain("Subject of a plan");
    await checkPage(page);
  });

  it("the key worker opens the notification, sees the enquirer's call-back number and marks it read", async () => {
    const { page } = await personAt(d);
    await signIn(page, `kw-sam-${A}`);
    expect(new URL(page.url()).pathname).toBe("/inbox");
    const link = page.locator("#inbox").getByRole("link", { name: story.reference! });
    expect(await page.locator("#inbox tbody tr").first().textContent()).toContain("Unread");
    await checkPage(page);
    await screenshot(page, "key-worker-inbox");
    await link.click();
    expect(await page.locator("main").textContent()).toContain("0113 496 0500");
    await checkPage(page);
    await page.getByRole("button", { name: "Mark as read" }).click();
    await page.getByText("Marked as read").waitFor();
    await screenshot(page, "key-worker-notification");
    const inbox = await d.t.call("GET", "/v1/notifications", { token: s.tokens.sam });
    expect(inbox.body.items.find((n: { enquiry: { reference: string } }) => n.enquiry.reference === story.reference).readAt).not.toBeNull();
  });

  it("the designated manager finds the child's record, decides the consideration and downloads the Board's figures as CSV", async () => {
    const { page } = await personAt(d);
    await signIn(page, "dee");
    expect(new URL(page.url()).pathname).toBe("/register");
    await checkPage(page);
    await page.getByLabel("Name").fill("amelia hart");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: /Amelia Rose Hartley/ }).click();
    // The record: the plan with its category, the key worker; the name is on the page, never in the address or title.
    const main = await page.locator("main").textContent();
    expect(main).toContain("Neglect");
    expect(main).toContain("Sam Patel");
    // The health visitor's enquiry, matched to the child on the call-back.
    expect(await page.locator("#enquiries").textContent()).toContain(story.reference!);
    expect(page.url()).not.toMatch(/amelia|hartley/i);
    expect(await page.title()).not.toMatch(/amelia|hartley/i);
    await checkPage(page);
    await screenshot(page, "manager-record");

    await page.getByRole("link", { name: "Considerations" }).click();
    const consideration = page.locator("section").filter({ hasText: "Jayden" }).first();
    await checkPage(page);
    await screenshot(page, "manager-considerations");
    await consideration.getByLabel("Referred on").check();
    await consideration.getByLabel("Note of the decision").fill("Referred to the MASH after speaking to the school nurse.");
    await consideration.getByRole("button", { name: "Record decision" }).click();
    await page.locator(".govuk-notification-banner--success").waitFor();
    const decided = (await d.t.call("GET", "/v1/cin-considerations?status=decided", { token: s.tokens.dm })).body.items;
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ decision: "referred", note: "Referred to the MASH after speaking to the school nurse." });

    await page.getByRole("link", { name: "Deadlines" }).click();
    await checkPage(page);

    // An export with a mistake on its second line: nothing is imported, and the line is named.
    await page.getByRole("link", { name: "Import" }).click();
    await checkPage(page);
    const good = {
      authority: A,
      externalId: "LCS-IMPORT-1",
      givenNames: "Ivy",
      familyName: "Marsh",
      dateOfBirth: "2018-05-05",
      aliases: [],
      addresses: [],
      cases: [],
      plans: [],
      conferences: [],
    };
    const bad = { ...good, externalId: "LCS-IMPORT-2", dateOfBirth: "2018-02-30" };
    await page.locator('input[type="file"]').setInputFiles({
      name: "export.ndjson",
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(`${JSON.stringify(good)}\n${JSON.stringify(bad)}\n`),
    });
    await page.getByRole("button", { name: "Import" }).click();
    const problems = page.locator("#import-problems");
    await problems.waitFor();
    const listed = await problems.textContent();
    expect(listed).toContain("Nothing was imported");
    expect(listed).toMatch(/2\s*dateOfBirth/);
    expect((await d.t.call("GET", "/v1/children?q=ivy", { token: s.tokens.dm })).body.items).toEqual([]);
    await checkPage(page);
    await screenshot(page, "manager-import-errors");

    await page.getByRole("link", { name: "Statistics" }).click();
    await page.locator("canvas").first().waitFor();
    // Chart.js drew into the canvas (it sizes it when it does).
    await page.waitForFunction(() => [...document.querySelectorAll("canvas")].some((c) => c.width > 0 && c.height > 0));
    await checkPage(page);
    await screenshot(page, "manager-stats");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download these figures as CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    const href = await page.getByRole("link", { name: "Download these figures as CSV" }).getAttribute("href");
    const query = new URL(href!, d.url).search;
    const api = await d.t.app.request(`/v1/stats${query}`, { headers: { authorization: `Bearer ${s.tokens.dm}`, accept: "text/csv" } });
    expect(csv).toBe(await api.text());
    expect(download.suggestedFilename()).toMatch(/^board-statistics-.*\.csv$/);
  });

  it("an enquirer cannot open another enquirer's enquiry: not found, and the attempt is in the audit log", async () => {
    const { page } = await personAt(d);
    await signIn(page, "kim");
    const res = await page.goto(`/enquiries/${story.enquiryId}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
    expect(await page.locator("main").textContent()).not.toMatch(/Millie|Hartley/);
    await checkPage(page);
    const refused = await d.t.client.execute({
      sql: "SELECT count(*) AS n FROM audit_log WHERE user_id = 'kim' AND outcome = 'refused_404' AND target_id = ?",
      args: [story.enquiryId!],
    });
    expect(Number(refused.rows[0]!.n)).toBe(1);
  });

  it("the auditor filters the access log by the child and checks the chain", async () => {
    const { page } = await personAt(d);
    await signIn(page, "audrey");
    await page.getByLabel("Child id").fill(child.id);
    await page.getByRole("button", { name: "Filter" }).click();
    const log = page.locator("#audit");
    await log.waitFor();
    expect(await log.textContent()).toContain("callback.complete");
    await checkPage(page);
    await screenshot(page, "auditor-log");
    await page.getByRole("link", { name: "Check the log has not been altered" }).click();
    await page.getByText(/The log is intact/).waitFor();
    await checkPage(page);
  });

  it("a signed-in account with no role is told so plainly", async () => {
    const { page } = await personAt(d);
    await signIn(page, "nobody");
    expect(await page.locator("h1").textContent()).toBe("Your account does not give you a desk here");
    await checkPage(page);
    const refused = await d.t.client.execute("SELECT detail FROM audit_log WHERE action = 'session.start' AND outcome = 'refused'");
    expect(refused.rows.map((r) => JSON.parse(String(r.detail)).sub)).toEqual(["nobody"]);
  });

  it("the start page, a person's list of desks and their enquiries pass the same checks; with an identity provider there is no development sign-in", async () => {
    const { page } = await personAt(d);
    await page.goto("/");
    await checkPage(page);
    expect(await page.getByRole("link", { name: "Development sign-in" }).count()).toBe(0);
    // Someone with two roles lands on the list of their desks.
    await signIn(page, "two-hats");
    expect(await page.locator("h1").textContent()).toBe("Your desks");
    expect(await page.locator("main").textContent()).toMatch(/Register[\s\S]*Access log/);
    await checkPage(page);
    const hannah = (await personAt(d)).page;
    await signIn(hannah, "hannah");
    expect(await hannah.locator("main").textContent()).toContain(story.reference!);
    await checkPage(hannah);
  });

  it("the API documentation renders from /openapi.json", async () => {
    const { page } = await personAt(d);
    await page.goto("/docs");
    await page.getByText("/v1/enquiries").first().waitFor();
    await expectAccessible(page);
  });

  it("no page broke its Content-Security-Policy", () => {
    expect(d.cspViolations).toEqual([]);
  });
});
