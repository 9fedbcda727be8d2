import { z } from "zod";

/**
 * The development secret signs tokens minted by `npm run token` outside production.
 * It is public by design (it is in the repository), which is why production refuses it
 * and every HS256 secret.
 */
export const DEVELOPMENT_JWT_SECRET = "development-only-secret-not-for-production-0123456789";

/** Signs the web desks' cookies outside production; public for the same reason, and refused in production. */
export const DEVELOPMENT_SESSION_SECRET = "development-only-session-secret-not-for-production-0123";

/**
 * The audit log's keys outside production: public, like the secrets above, so a development
 * log proves nothing; production requires its own (AUDIT_HASH_KEY, AUDIT_SIGNING_KEY).
 */
export const DEVELOPMENT_AUDIT_HASH_KEY = "development-only-audit-hash-key-not-for-production-01";
/** An Ed25519 secret key (32 bytes, base64url): the development one, public. */
export const DEVELOPMENT_AUDIT_SIGNING_KEY = "ZGV2ZWxvcG1lbnQtb25seS1hdWRpdC1zaWduaW5nLWs";

/**
 * Settings that only a deployment has. Any of them without APP_ENV stops the service: an
 * unset APP_ENV used to mean development, so a deployment that forgot it served the
 * development sign-in (anyone a designated manager) and accepted the public HS256 secret.
 */
export const DEPLOYMENT_SETTINGS = [
  "AUTH_JWKS_URL",
  "AUTH_ISSUER",
  "AUTH_AUDIENCE",
  "AUTH_JWT_SECRET",
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "SESSION_SECRET",
  "PUBLIC_URL",
  "SMTP_URL",
  "DATABASE_AUTH_TOKEN",
  "DATABASE_ENCRYPTION_KEY",
  "AUDIT_HASH_KEY",
  "AUDIT_SIGNING_KEY",
] as const;

/** An identity provider configured: the development sign-in and development secrets are then off, whatever APP_ENV says. */
const IDENTITY_SETTINGS = ["AUTH_JWKS_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

const SigningKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{43}$/, "must be an Ed25519 secret key: 32 bytes in base64url (npm run keys prints one)");

const DatabaseEnv = {
  DATABASE_URL: z.string().trim().min(1).default("file:./data/register.db"),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  DATABASE_ENCRYPTION_KEY: z.string().min(16, "DATABASE_ENCRYPTION_KEY must be at least 16 characters").optional(),
};

const Env = z
  .object({
    ...DatabaseEnv,
    APP_ENV: z.enum(["development", "test", "production"]).optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(8787),
    AUTH_ISSUER: z.string().trim().min(1).optional(),
    AUTH_AUDIENCE: z.string().trim().min(1).optional(),
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    AUDIT_HASH_KEY: z.string().min(32, "AUDIT_HASH_KEY must be at least 32 characters").optional(),
    AUDIT_SIGNING_KEY: SigningKey.optional(),
    AUDIT_CHECKPOINT_HOURS: z.coerce.number().int().min(1).max(24).default(24),
    AUTH_JWT_SECRET: z.string().min(32, "AUTH_JWT_SECRET must be at least 32 characters").optional(),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    ENQUIRY_LIMIT: z.coerce.number().int().min(1).default(20),
    API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
    UNAUTHENTICATED_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(30),
    // Admission control (src/lib/admission.ts): requests worked on at once, waiting, and how long one may wait.
    MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(16),
    MAX_QUEUED: z.coerce.number().int().min(0).max(100_000).default(1000),
    MAX_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    ENQUIRY_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(2 * 1024 ** 3),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().trim().min(3).max(200).default("Child protection register <register@localhost>"),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DISPATCH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
    OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_SCOPES: z
      .string()
      .trim()
      .regex(/^openid( [\x21-\x7e]+)*$/, "must start with openid, space-separated")
      .default("openid profile register"),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(240).default(30),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24).default(12),
  })
  .superRefine((env, ctx) => {
    if (env.APP_ENV !== "production") return;
    // A key fetched over plain http could be swapped in transit, and with it every token.
    if (env.AUTH_JWKS_URL && !env.AUTH_JWKS_URL.startsWith("https:"))
      ctx.addIssue({ code: "custom", path: ["AUTH_JWKS_URL"], message: "must be https in production" });
    if (!env.AUDIT_HASH_KEY)
      ctx.addIssue({ code: "custom", path: ["AUDIT_HASH_KEY"], message: "is required in production (it keys the audit log's row hashes)" });
    if (env.AUDIT_HASH_KEY === DEVELOPMENT_AUDIT_HASH_KEY)
      ctx.addIssue({ code: "custom", path: ["AUDIT_HASH_KEY"], message: "is the public development key, refused in production" });
    if (!env.AUDIT_SIGNING_KEY)
      ctx.addIssue({
        code: "custom",
        path: ["AUDIT_SIGNING_KEY"],
        message: "is required in production (it signs the audit log's checkpoints; npm run keys prints one)",
      });
    if (env.AUDIT_SIGNING_KEY === DEVELOPMENT_AUDIT_SIGNING_KEY)
      ctx.addIssue({ code: "custom", path: ["AUDIT_SIGNING_KEY"], message: "is the public development key, refused in production" });
    if (!env.AUTH_JWKS_URL)
      ctx.addIssue({ code: "custom", path: ["AUTH_JWKS_URL"], message: "is required in production (the identity provider's JWKS)" });
    if (env.AUTH_JWT_SECRET)
      ctx.addIssue({ code: "custom", path: ["AUTH_JWT_SECRET"], message: "is refused in production: use AUTH_JWKS_URL" });
    if (!env.AUTH_ISSUER) ctx.addIssue({ code: "custom", path: ["AUTH_ISSUER"], message: "is required in production" });
    if (!env.AUTH_AUDIENCE) ctx.addIssue({ code: "custom", path: ["AUTH_AUDIENCE"], message: "is required in production" });
    if (env.OIDC_ISSUER && !env.SESSION_SECRET)
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required in production when OIDC_ISSUER is set (it signs the desks' cookies)",
      });
    if (env.SESSION_SECRET === DEVELOPMENT_SESSION_SECRET)
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "is the public development secret, refused in production" });
    if (env.OIDC_ISSUER && !env.OIDC_ISSUER.startsWith("https:"))
      ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "must be https in production" });
    if (env.OIDC_ISSUER && !env.PUBLIC_URL?.startsWith("https:"))
      ctx.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message: "must be the service's https address in production when OIDC_ISSUER is set (the sign-in redirect)",
      });
    // One identity provider for both, so one person has one user id (the own-enquiry check, key workers' records and the audit compare it).
    if (env.OIDC_ISSUER && env.AUTH_ISSUER && env.OIDC_ISSUER.replace(/\/$/, "") !== env.AUTH_ISSUER.replace(/\/$/, ""))
      ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "must be the same issuer as AUTH_ISSUER in production" });
  })
  .superRefine((env, ctx) => {
    const set = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (set > 0 && set < 3)
      for (const key of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const)
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is needed with the other OIDC_ settings" });
  });

export type AuthConfig =
  | { kind: "jwks"; jwksUrl: string; issuer: string; audience: string }
  | { kind: "secret"; secret: string; issuer: string; audience: string };

export interface Config {
  appEnv: "development" | "test" | "production";
  /**
   * The development sign-in, the public development secrets and development tokens: only
   * outside production, on Node, with no identity provider configured.
   */
  devFeatures: boolean;
  port: number;
  databaseUrl: string;
  databaseAuthToken?: string;
  /** Encrypts the embedded database file at rest (libSQL's encryptionKey). */
  databaseEncryptionKey?: string;
  auth: AuthConfig;
  /** The audit log's keys: HMAC for each row's hash, Ed25519 for its checkpoints. Neither is in the database. */
  audit: { hashKey: string; signingKey: string; checkpointHours: number };
  bodyLimitBytes: number;
  importMaxBytes: number;
  /** Enquiries one login may make in a rolling window before it is refused (429) as a possible trawl. */
  enquiryLimit: { max: number; windowMinutes: number };
  /** Requests a minute: per login on the whole API, and per client address for requests that fail authentication. */
  rateLimits: { perLogin: number; perAddressUnauthenticated: number };
  /** Past these the service answers 503 with Retry-After at once (src/lib/admission.ts). */
  admission: { maxInFlight: number; maxQueued: number; maxWaitMs: number };
  /** The outbox's dispatcher: SMTP for email (Node), the address links in messages point at, how often it runs. */
  delivery: { smtpUrl?: string; mailFrom: string; publicUrl: string; intervalSeconds: number };
  /** The web desks: sign-in through the council's identity provider, and the session cookie. */
  web: {
    oidc?: { issuer: string; clientId: string; clientSecret: string; scopes: string };
    sessionSecret: string;
    idleMinutes: number;
    maxHours: number;
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses the environment once, at start-up; the message names every variable that is wrong.
 * A Worker is always a deployment: it defaults to production and never has development features.
 */
export function parseConfig(source: Record<string, string | undefined>, opts: { runtime?: "node" | "worker" } = {}): Config {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const runtime = opts.runtime ?? "node";
  if (blankless.APP_ENV === undefined) {
    const deployment = [
      ...DEPLOYMENT_SETTINGS.filter((k) => blankless[k] !== undefined),
      ...(blankless.DATABASE_URL !== undefined && !/^file:/i.test(blankless.DATABASE_URL) ? ["DATABASE_URL"] : []),
    ];
    if (runtime === "worker") blankless.APP_ENV = "production";
    else if (deployment.length)
      throw new ConfigError(
        `The service cannot start: APP_ENV is not set, but ${deployment.join(", ")} ${deployment.length === 1 ? "is" : "are"}, as a deployment's would be.\n` +
          "- APP_ENV must be set: production for a deployment (its rules then apply), or development or test to run with these settings deliberately.",
      );
  }
  const parsed = Env.safeParse(blankless);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".") || "environment"} ${i.message}`);
    throw new ConfigError(`The service cannot start: its configuration is incomplete or wrong.\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const appEnv = env.APP_ENV ?? "development";
  const devFeatures = runtime === "node" && appEnv !== "production" && !IDENTITY_SETTINGS.some((k) => env[k] !== undefined);
  const wrong = (line: string) => new ConfigError(`The service cannot start: its configuration is incomplete or wrong.\n- ${line}`);
  if (runtime === "worker" && appEnv === "development")
    throw wrong("APP_ENV=development is refused on Workers: a Worker is a deployment (production, or test for the workerd suite)");
  // The public development keys make the log's hashes and checkpoints forgeable by anyone: only
  // where everything else is development too.
  if (!devFeatures)
    for (const key of ["AUDIT_HASH_KEY", "AUDIT_SIGNING_KEY"] as const)
      if (!env[key])
        throw wrong(
          `${key} is required${appEnv === "production" ? " in production" : " once an identity provider is configured or on Workers"} (npm run keys prints a pair)`,
        );
  // A key set fetched over plain http could be swapped in transit, and with it every token: only a provider on this machine may be http.
  if (env.AUTH_JWKS_URL && !/^https:|^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?\//.test(env.AUTH_JWKS_URL))
    throw wrong("AUTH_JWKS_URL must be https (plain http only to this machine, outside production)");
  const issuer = env.AUTH_ISSUER ?? "register-dev";
  const audience = env.AUTH_AUDIENCE ?? "register-api";
  const secret = env.AUTH_JWT_SECRET ?? (devFeatures ? DEVELOPMENT_JWT_SECRET : undefined);
  if (!env.AUTH_JWKS_URL && !secret)
    throw new ConfigError(
      `The service cannot start: its configuration is incomplete or wrong.\n- AUTH_JWKS_URL is required${runtime === "worker" ? " on Workers" : " with an identity provider"} (or AUTH_JWT_SECRET outside production): the public development secret is only for a machine with nothing of a deployment configured`,
    );
  if (env.OIDC_ISSUER && !env.SESSION_SECRET && appEnv !== "production")
    throw new ConfigError(
      "The service cannot start: its configuration is incomplete or wrong.\n- SESSION_SECRET is required when OIDC_ISSUER is set (it signs the desks' cookies)",
    );
  const auth: AuthConfig = env.AUTH_JWKS_URL
    ? { kind: "jwks", jwksUrl: env.AUTH_JWKS_URL, issuer, audience }
    : { kind: "secret", secret: secret!, issuer, audience };
  return {
    appEnv,
    devFeatures,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    ...(env.DATABASE_AUTH_TOKEN ? { databaseAuthToken: env.DATABASE_AUTH_TOKEN } : {}),
    ...(env.DATABASE_ENCRYPTION_KEY ? { databaseEncryptionKey: env.DATABASE_ENCRYPTION_KEY } : {}),
    auth,
    audit: {
      hashKey: env.AUDIT_HASH_KEY ?? DEVELOPMENT_AUDIT_HASH_KEY,
      signingKey: env.AUDIT_SIGNING_KEY ?? DEVELOPMENT_AUDIT_SIGNING_KEY,
      checkpointHours: env.AUDIT_CHECKPOINT_HOURS,
    },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    importMaxBytes: env.IMPORT_MAX_BYTES,
    enquiryLimit: { max: env.ENQUIRY_LIMIT, windowMinutes: env.ENQUIRY_LIMIT_WINDOW_MINUTES },
    rateLimits: { perLogin: env.API_RATE_LIMIT, perAddressUnauthenticated: env.UNAUTHENTICATED_RATE_LIMIT },
    admission: { maxInFlight: env.MAX_IN_FLIGHT, maxQueued: env.MAX_QUEUED, maxWaitMs: env.MAX_QUEUE_WAIT_MS },
    delivery: {
      ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
      mailFrom: env.MAIL_FROM,
      publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      intervalSeconds: env.DISPATCH_INTERVAL_SECONDS,
    },
    web: {
      ...(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? { oidc: { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET, scopes: env.OIDC_SCOPES } }
        : {}),
      // With no sign-in but the development one, and that off, nothing is signed in with this:
      // a random secret then, rather than the public one.
      sessionSecret: env.SESSION_SECRET ?? (devFeatures ? DEVELOPMENT_SESSION_SECRET : randomSecret()),
      idleMinutes: env.SESSION_IDLE_MINUTES,
      maxHours: env.SESSION_MAX_HOURS,
    },
  };
}

function randomSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Only the database settings, for `npm run db:migrate`: it writes no record and no audit
 * entry, so it needs nothing else of a deployment's configuration.
 */
export function parseDatabaseConfig(source: Record<string, string | undefined>) {
  const parsed = z.object(DatabaseEnv).safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success)
    throw new ConfigError(
      `The database settings are wrong.\n${parsed.error.issues.map((i) => `- ${i.path.join(".")} ${i.message}`).join("\n")}`,
    );
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    databaseAuthToken: parsed.data.DATABASE_AUTH_TOKEN,
    databaseEncryptionKey: parsed.data.DATABASE_ENCRYPTION_KEY,
  };
}
