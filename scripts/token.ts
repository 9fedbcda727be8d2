/**
 * Prints a development token signed with the configured HS256 secret.
 *   npm run token -- --role designated_manager --authority STAFFS
 *   npm run token -- --role enquirer --profession police_sergeant --agency "Staffordshire Police" --sub pol-1 --name "Sgt Kim Rowe"
 * Repeat --role or --authority for several. Refused when APP_ENV=production.
 */
import { parseArgs } from "node:util";
import { signDevToken } from "../src/auth/dev-token";
import { ConfigError, parseConfig } from "../src/lib/config";
import { ROLES, type Role } from "../src/lib/principal";

try {
  const config = parseConfig(process.env);
  if (config.appEnv === "production" || config.auth.kind !== "secret")
    throw new Error("Development tokens are refused in production and when AUTH_JWKS_URL is set.");
  const { values } = parseArgs({
    options: {
      role: { type: "string", multiple: true },
      authority: { type: "string", multiple: true },
      profession: { type: "string" },
      agency: { type: "string" },
      sub: { type: "string" },
      name: { type: "string" },
      expires: { type: "string", default: "8h" },
    },
  });
  const roles = (values.role ?? []).flatMap((r) => r.split(","));
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (!roles.length || bad.length)
    throw new Error(`Give --role, one of: ${ROLES.join(", ")}${bad.length ? ` (not: ${bad.join(", ")})` : ""}.`);
  const first = roles[0]!;
  const token = await signDevToken(
    config.auth,
    {
      sub: values.sub ?? `dev-${first}`,
      name: values.name ?? `Development ${first.replace(/_/g, " ")}`,
      roles: roles as Role[],
      profession: values.profession ?? (roles.includes("enquirer") ? "police_sergeant" : undefined),
      agency: values.agency,
      authorities: values.authority?.flatMap((a) => a.split(",")).map((a) => a.toUpperCase()),
    },
    { expiresIn: values.expires },
  );
  console.log(token);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : (err as Error).message);
  process.exit(2);
}
