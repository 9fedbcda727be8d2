import * as oidc from "openid-client";
import type { Config } from "../lib/config";

/**
 * The council's identity provider, through the OpenID Connect authorization code flow with
 * PKCE (openid-client: standards-checked, and it runs on Node and Workers alike).
 */
export interface LoginAttempt {
  state: string;
  nonce: string;
  verifier: string;
}

type Oidc = NonNullable<Config["web"]["oidc"]>;

// Discovery is fetched once per process (or isolate); a failure is not cached, so the next sign-in retries.
const discovered = new Map<string, Promise<oidc.Configuration>>();

function configurationFor(settings: Oidc, allowHttp: boolean): Promise<oidc.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    // Plain http is allowed only outside production (a provider on localhost in tests); production insists on https in config.
    const options = allowHttp && settings.issuer.startsWith("http:") ? { execute: [oidc.allowInsecureRequests] } : undefined;
    found = oidc.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, options);
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

export const redirectUri = (config: Config) => new URL("/auth/callback", config.delivery.publicUrl).toString();

/** Where to send the browser to sign in, and what to remember (in a short-lived signed cookie) to check the reply. */
export async function beginSignIn(config: Config): Promise<{ url: string; attempt: LoginAttempt }> {
  const settings = config.web.oidc!;
  const c = await configurationFor(settings, config.appEnv !== "production");
  const attempt: LoginAttempt = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(c, {
    redirect_uri: redirectUri(config),
    scope: settings.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(attempt.verifier),
    code_challenge_method: "S256",
    state: attempt.state,
    nonce: attempt.nonce,
    // Always ask the person to authenticate: on a shared machine, signing out here must not
    // leave the next person one click from the last one's session at the provider.
    prompt: "login",
  });
  return { url: url.toString(), attempt };
}

/**
 * Exchanges the code for tokens and returns the user's claims: the ID token's, with the
 * userinfo endpoint's filling any the ID token leaves out (many providers put custom claims
 * only there).
 */
export async function finishSignIn(config: Config, search: string, attempt: LoginAttempt): Promise<Record<string, unknown>> {
  const settings = config.web.oidc!;
  const c = await configurationFor(settings, config.appEnv !== "production");
  const current = new URL(redirectUri(config));
  current.search = search;
  const tokens = await oidc.authorizationCodeGrant(c, current, {
    pkceCodeVerifier: attempt.verifier,
    expectedState: attempt.state,
    expectedNonce: attempt.nonce,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error("The identity provider returned no ID token.");
  const metadata = c.serverMetadata();
  const userinfo = metadata.userinfo_endpoint ? await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub) : {};
  return { ...userinfo, ...idClaims };
}
