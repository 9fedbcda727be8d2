/**
 * Signed webhooks: `X-Register-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`,
 * as Stripe and others sign theirs. A receiver checks the signature, refuses a timestamp
 * older than its tolerance (a replayed request), and drops a delivery id it has seen.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export const SIGNATURE_HEADER = "x-register-signature";
export const DELIVERY_HEADER = "x-register-delivery";

const mac = (secret: string, t: number, body: string) => bytesToHex(hmac(sha256, utf8ToBytes(secret), utf8ToBytes(`${t}.${body}`)));

export const signWebhook = (secret: string, body: string, nowSeconds: number) => `t=${nowSeconds},v1=${mac(secret, nowSeconds, body)}`;

/** For receivers (and the tests): whether a delivery is authentic and fresh. */
export function verifyWebhook(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.trim().split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = mac(secret, t, body);
  if (expected.length !== parts.v1.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ parts.v1.charCodeAt(i);
  return diff === 0;
}
