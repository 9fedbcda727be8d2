/**
 * Prints a new pair of audit-log keys for a deployment's secrets:
 *   npm run keys
 * AUDIT_SIGNING_KEY signs checkpoints (Ed25519); AUDIT_HASH_KEY keys the row hashes (HMAC).
 * Keep both out of the database and its backups: whoever holds them can rewrite the log.
 */
import { auditSigner, newSigningKey } from "../src/audit/keys";

const signingKey = newSigningKey();
const hashKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
console.log(`AUDIT_SIGNING_KEY=${signingKey}`);
console.log(`AUDIT_HASH_KEY=${hashKey}`);
console.error(`The public key (served at /v1/audit/public-key): ${JSON.stringify(auditSigner(signingKey).publicJwk)}`);
