import { mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import Provider from "oidc-provider";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { createTokenVerifier } from "../../src/auth/verify";
import { fileSpool } from "../../src/lib/spool-node";
import { createNodeApp } from "../../src/node-app";
import { createTestApp, type TestApp } from "../support/app";

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = join(import.meta.dirname, "..", "..", "docs", "screenshots");
const AXE = readFileSync(join(import.meta.dirname, "..", "..", "node_modules", "axe-core", "axe.min.js"), "utf8");

export interface Account {
  name: string;
  roles: string[];
  authorities?: string[];
  profession?: string;
  agency?: string;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

/**
 * A council's identity provider for the tests: a real OpenID Connect provider
 * (oidc-provider) in this process, with its development login form. Any password is
 * accepted; the login names one of `accounts`, whose claims it issues.
 */
async function startIdentityProvider(port: number, appUrl: string, accounts: Record<string, Account>) {
  const issuer = `http://localhost:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "register-desks",
        client_secret: "register-desks-test-secret",
        redirect_uris: [`${appUrl}/auth/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["name"], register: ["roles", "profession", "agency", "authorities"] },
    scopes: ["openid", "profile", "register"],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["oidc-test-cookie-key-0123456789"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx, id) => {
      const a = accounts[id];
      if (!a) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...a }) };
    },
  });
  const server = createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { issuer, server };
}

export interface Desks {
  t: TestApp;
  url: string;
  browser: Browser;
  /** Every CSP violation any page reported: there must be none. */
  cspViolations: string[];
  close(): Promise<void>;
}

/** The app on a real port (with its static files), the identity provider beside it, and a headless Chromium. */
export async function startDesks(accounts: Record<string, Account>, opts: { now?: string } = {}): Promise<Desks> {
  const [appPort, idpPort] = [await freePort(), await freePort()];
  const url = `http://localhost:${appPort}`;
  const idp = await startIdentityProvider(idpPort, url, accounts);
  const t = await createTestApp({
    ...(opts.now ? { now: opts.now } : {}),
    env: {
      PUBLIC_URL: url,
      PORT: String(appPort),
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: "register-desks",
      OIDC_CLIENT_SECRET: "register-desks-test-secret",
      SESSION_SECRET: "browser-suite-session-secret-0123456789",
    },
  });
  const app = createNodeApp({
    store: t.store,
    clock: t.clock,
    config: t.config,
    verifyToken: createTokenVerifier(t.config.auth),
    log: () => {},
    createSpool: fileSpool,
  });
  const server: ServerType = serve({ fetch: app.fetch, port: appPort, hostname: "127.0.0.1" });
  const browser = await chromium.launch({
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
  const cspViolations: string[] = [];
  return {
    t,
    url,
    browser,
    cspViolations,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
      await new Promise((r) => (idp.server as Server).close(r));
      t.close();
    },
  };
}

/** A person at their own browser: their own cookies, watched for CSP violations. */
export async function personAt(d: Desks, width = 1024): Promise<{ context: BrowserContext; page: Page }> {
  const context = await d.browser.newContext({ viewport: { width, height: 900 }, baseURL: d.url });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) d.cspViolations.push(`${page.url()}: ${m.text()}`);
  });
  return { context, page };
}

/** Signs in as the person would: the service's start page, then the identity provider's login and consent. */
export async function signIn(page: Page, login: string) {
  await page.goto("/");
  const app = new URL(page.url()).origin;
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
  // The provider asks for consent the first time; then it sends the browser back to the service.
  const consent = page.getByRole("button", { name: "Continue" });
  await Promise.race([consent.waitFor(), page.waitForURL((u) => u.origin === app)]);
  if (new URL(page.url()).origin !== app) await consent.click();
  await page.waitForURL((u) => u.origin === app);
}

/** axe-core on the page as it stands: no serious or critical violations. Injected by CDP, which the page's CSP does not govern. */
export async function expectAccessible(page: Page) {
  await page.evaluate(AXE);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<unknown> } }).axe.run(document, {
      resultTypes: ["violations"],
    }),
  )) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** Usable at 320 px: nothing makes the page itself scroll sideways (wide tables scroll inside their own box). */
export async function expectFitsNarrowScreen(page: Page) {
  const before = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 800 });
  // Let resize observers (the charts') catch up, as they would for a person turning a phone.
  await page.waitForTimeout(500);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize(before);
  expect(overflow, `${page.url()} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
}

/** A screenshot for the README, of the page as its user sees it. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The checks every desk page gets. */
export async function checkPage(page: Page) {
  await expectAccessible(page);
  await expectFitsNarrowScreen(page);
  expect(await page.title()).toMatch(/– Child protection register enquiries$/);
}
