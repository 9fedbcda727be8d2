import { eq, lt, or } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { webSessions } from "../db/schema";
import type { AppEnv, WebSession } from "../http/app-env";
import { sha256Hex } from "../lib/hash";
import type { Principal } from "../lib/principal";

export const SESSION_COOKIE = "register_session";
/** A seen-at older than this is written back; closer than it, a page view costs no write. */
const TOUCH_MS = 60_000;

export type { WebSession };

export const randomToken = (bytes = 32) => {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
};

/**
 * `__Host-`: only this exact host may set it (no sibling subdomain can plant a session), always
 * Secure and for the whole site. No Max-Age: the cookie ends with the browser, and the server
 * ends the session sooner (idle or overlong) whatever the browser keeps.
 */
export const hostCookie = { httpOnly: true, secure: true, sameSite: "Lax", path: "/", prefix: "host" } as const;

/** Signs the user in: a new server-side session and its cookie; expired sessions are cleared on the way. */
export async function startSession(c: Context<AppEnv>, principal: Principal, via: WebSession["via"]): Promise<WebSession> {
  const { store, clock, config } = c.var.deps;
  // Signing in again replaces whatever session this browser had (its cookie is overwritten below).
  const previous = await getSignedCookie(c, config.web.sessionSecret, SESSION_COOKIE, "host");
  const now = clock.now();
  const id = randomToken();
  const session: WebSession = { principal, csrf: randomToken(), via };
  const idleCutoff = new Date(now.getTime() - config.web.idleMinutes * 60_000).toISOString();
  await store.write(async (tx) => {
    await tx
      .delete(webSessions)
      .where(
        or(
          previous ? eq(webSessions.idHash, sha256Hex(previous)) : undefined,
          lt(webSessions.expiresAt, now.toISOString()),
          lt(webSessions.seenAt, idleCutoff),
        ),
      );
    await tx.insert(webSessions).values({
      idHash: sha256Hex(id),
      principal,
      csrf: session.csrf,
      via,
      createdAt: now.toISOString(),
      seenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + config.web.maxHours * 3_600_000).toISOString(),
    });
  });
  await setSignedCookie(c, SESSION_COOKIE, id, config.web.sessionSecret, hostCookie);
  return session;
}

/**
 * The session this request belongs to, or null: no cookie, a forged one, or one that has
 * expired or idled out. A background request (`touch: false`, the queue's poll) does not count
 * as the person being there, so a desk left open still idles out.
 */
export async function loadSession(c: Context<AppEnv>, opts: { touch?: boolean } = {}): Promise<WebSession | null> {
  const { store, clock, config } = c.var.deps;
  const id = await getSignedCookie(c, config.web.sessionSecret, SESSION_COOKIE, "host");
  if (!id) return null;
  const idHash = sha256Hex(id);
  const [row] = await store.read.select().from(webSessions).where(eq(webSessions.idHash, idHash));
  if (!row) return null;
  const now = clock.now();
  const idleUntil = new Date(row.seenAt).getTime() + config.web.idleMinutes * 60_000;
  if (now.toISOString() >= row.expiresAt || now.getTime() >= idleUntil) {
    await store.write((tx) => tx.delete(webSessions).where(eq(webSessions.idHash, idHash)));
    return null;
  }
  // Development sign-ins exist only with development features on; a row left from before is not honoured otherwise.
  if (row.via === "development" && !config.devFeatures) return null;
  if (opts.touch !== false && now.getTime() - new Date(row.seenAt).getTime() > TOUCH_MS)
    await store.write((tx) => tx.update(webSessions).set({ seenAt: now.toISOString() }).where(eq(webSessions.idHash, idHash)));
  return { principal: row.principal, csrf: row.csrf, via: row.via };
}

/** Signs out: the row goes, so the cookie is dead even if a copy of it survives. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const { store, config } = c.var.deps;
  const id = await getSignedCookie(c, config.web.sessionSecret, SESSION_COOKIE, "host");
  if (id) await store.write((tx) => tx.delete(webSessions).where(eq(webSessions.idHash, sha256Hex(id))));
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, prefix: "host" });
}

/** Constant-time comparison of two tokens, so a forged CSRF token cannot be guessed byte by byte. */
export function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
