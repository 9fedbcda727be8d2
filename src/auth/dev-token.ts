import { SignJWT } from "jose";
import type { AuthConfig } from "../lib/config";
import type { Role } from "../lib/principal";

export interface DevTokenClaims {
  sub: string;
  name?: string | undefined;
  roles: Role[];
  profession?: string | undefined;
  agency?: string | undefined;
  authorities?: string[] | undefined;
}

/** Signs a token with the configured HS256 secret: for development and tests, never production. */
export async function signDevToken(auth: AuthConfig, claims: DevTokenClaims, opts: { expiresIn?: string; now?: Date } = {}) {
  if (auth.kind !== "secret") throw new Error("Development tokens need the HS256 secret; this configuration uses a JWKS.");
  const { sub, ...rest } = claims;
  const payload = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt(iat)
    .setNotBefore(iat - 5)
    .setExpirationTime(opts.expiresIn ?? "8h")
    .sign(new TextEncoder().encode(auth.secret));
}
