import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import type { AuthConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { Claims, type Principal, toPrincipal } from "../lib/principal";

export type VerifyToken = (token: string) => Promise<Principal>;

const ASYMMETRIC = ["RS256", "ES256", "EdDSA"];

/**
 * Builds the token verifier once, at start-up: the algorithm list is pinned to the kind
 * of key configured, so a token can never choose how it is checked (no `none`, no HS256
 * made with a public key).
 */
export function createTokenVerifier(config: AuthConfig): VerifyToken {
  const options = { issuer: config.issuer, audience: config.audience, clockTolerance: 60, requiredClaims: ["exp", "sub"] };
  let verify: (token: string) => ReturnType<typeof jwtVerify>;
  if (config.kind === "jwks") {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
    });
    verify = (token) => jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC });
  } else {
    const key = new TextEncoder().encode(config.secret);
    verify = (token) => jwtVerify(token, key, { ...options, algorithms: ["HS256"] });
  }
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await verify(token));
    } catch (err) {
      throw new AppError("unauthenticated", describe(err));
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success)
      throw new AppError("unauthenticated", "The token's claims are not usable: it needs `sub` and `roles` from the known roles.");
    return toPrincipal(claims.data);
  };
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "The token has expired.";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The token's \`${err.claim}\` claim is not accepted.`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted.";
  if (err instanceof joseErrors.JWKSNoMatchingKey) return "The token was signed with a key the identity provider does not publish.";
  return "The token is not valid.";
}
