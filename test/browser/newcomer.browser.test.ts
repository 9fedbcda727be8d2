import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, type Started, startNodeServer } from "../support/server";
import { CHROMIUM } from "./support";

/**
 * What the README promises a newcomer: `npm run seed:demo`, `npm start`, open the printed
 * address, and do each role's job through the development sign-in. The server is the real
 * Node entry in its own process, on its own database file.
 */
const dir = mkdtempSync(join(tmpdir(), "register-newcomer-"));
let server: Started;
let browser: Browser;
let printed: string;
let reference: string;

beforeAll(async () => {
  const env = { DATABASE_URL: `file:${join(dir, "register.db")}` };
  const seeded = await run(process.execPath, ["--import", "tsx", "scripts/seed-demo.ts"], { ...env, APP_ENV: "test" });
  if (seeded.code !== 0) throw new Error(`seed:demo failed: ${seeded.stderr}`);
  server = await startNodeServer(env);
  printed = /The desks: open (http:\/\/localhost:\d+)\//.exec(server.output())![1]!;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function as(person: RegExp): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: printed })).newPage();
  await page.goto("/");
  await page.getByRole("link", { name: "Development sign-in" }).click();
  await page.getByRole("button", { name: person }).click();
  return page;
}

describe("a newcomer on the demo register, through the development sign-in", () => {
  it("the police sergeant asks about a child", async () => {
    const page = await as(/Sgt Kim Rowe/);
    await page.getByRole("button", { name: "Make an enquiry" }).click();
    // The demo holds two authorities: the sergeant says whose register to check.
    await page.getByLabel("Authority").selectOption({ label: "Staffordshire County Council" });
    await page.getByLabel("The child's given names").fill("Oliver");
    await page.getByLabel("The child's family name").fill("Hartley");
    await page.getByRole("group", { name: "Date of birth", exact: true }).getByLabel("Day").fill("15");
    await page.getByRole("group", { name: "Date of birth", exact: true }).getByLabel("Month").fill("1");
    await page.getByRole("group", { name: "Date of birth", exact: true }).getByLabel("Year").fill("2019");
    await page.locator("#addresses-0-line1").fill("12 High Street");
    await page.locator("#addresses-0-postcode").fill("ST16 2LH");
    await page.locator("#reason").fill("Oliver arrived at custody with his mother; bruising to the face.");
    await page.getByLabel("The number to call you back on").fill("0121 496 0100");
    await page.getByRole("button", { name: "Send enquiry" }).click();
    reference = (await page.locator(".govuk-panel__body strong").textContent())!.trim();
    expect(reference).toMatch(/^ENQ-\d{6}$/);
  });

  it("the duty officer calls back and records it", async () => {
    const page = await as(/Eddie Duty/);
    await page.locator("#queue").getByRole("link", { name: reference }).click();
    await page.getByRole("button", { name: "Take this call-back" }).click();
    expect(await page.locator("#script").textContent()).toContain("Oliver Hartley is not subject of a child protection plan");
    await page.getByLabel("0121 496 0100").check();
    await page.getByRole("button", { name: "Complete the call-back" }).click();
    await page.getByRole("heading", { name: "Answered" }).waitFor();
  });

  it("the key worker of the plan child at the same address hears of it", async () => {
    const page = await as(/Sam Patel/);
    await page.locator("#inbox").getByRole("link", { name: reference }).click();
    expect(await page.locator("main").textContent()).toContain("0121 496 0100");
    await page.getByRole("button", { name: "Mark as read" }).click();
    await page.getByText("Marked as read").waitFor();
  });

  it("the designated manager finds the enquiry on the child's record, and the auditor finds the log intact", async () => {
    const dm = await as(/Dee Manager/);
    await dm.getByLabel("Name").fill("oliver hartley");
    await dm.getByRole("button", { name: "Search" }).click();
    await dm.getByRole("link", { name: /Oliver Hartley/ }).click();
    expect(await dm.locator("#enquiries").textContent()).toContain(reference);
    const auditor = await as(/Audrey Auditor/);
    expect(await auditor.locator("#audit").textContent()).toContain("callback.complete");
    await auditor.getByRole("link", { name: "Check the log has not been altered" }).click();
    await auditor.getByText(/The log is intact/).waitFor();
  });
});
