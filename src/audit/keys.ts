/**
 * The audit log's two keys, neither of which is in the database: an HMAC key for each row's
 * hash (so a row cannot be rehashed by someone who can only write the database) and an
 * Ed25519 key for checkpoints (so copies held outside the service can be checked).
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { sha256Hex } from "../lib/hash";

export interface AuditSigner {
  /** The public key as a JWK (RFC 8037), for anyone checking a checkpoint. */
  publicJwk: { kty: "OKP"; crv: "Ed25519"; x: string; kid: string; alg: "EdDSA"; use: "sig" };
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

export function auditSigner(secretKeyB64url: string): AuditSigner {
  const secret = fromB64url(secretKeyB64url);
  if (secret.length !== 32) throw new Error("AUDIT_SIGNING_KEY must be 32 bytes in base64url");
  const pub = ed25519.getPublicKey(secret);
  const x = b64url(pub);
  return {
    publicJwk: { kty: "OKP", crv: "Ed25519", x, kid: bytesToHex(sha256(pub)).slice(0, 16), alg: "EdDSA", use: "sig" },
    sign: (message) => b64url(ed25519.sign(utf8ToBytes(message), secret)),
    verify: (message, signature) => {
      try {
        return ed25519.verify(fromB64url(signature), utf8ToBytes(message), pub);
      } catch {
        return false;
      }
    },
  };
}

/** A fresh Ed25519 secret key in the form AUDIT_SIGNING_KEY takes (npm run keys). */
export const newSigningKey = () => b64url(ed25519.utils.randomSecretKey());

/** Synchronous on purpose: taken inside the serialised write transaction (see db/store.ts). */
export function keyedHash(key: string, text: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(text)));
}

/** The hash of rows written before the log was keyed. */
export const plainHash = sha256Hex;

const signers = new WeakMap<object, AuditSigner>();
/** One signer a configuration: deriving the public key is not free. */
export function signerFor(config: { audit: { signingKey: string } }): AuditSigner {
  const known = signers.get(config.audit);
  if (known) return known;
  const made = auditSigner(config.audit.signingKey);
  signers.set(config.audit, made);
  return made;
}
