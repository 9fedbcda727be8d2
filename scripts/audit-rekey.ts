/**
 * Keys a log written before AUDIT_HASH_KEY existed: checks its plain SHA-256 chain whole, then
 * re-hashes every row with the key, in one transaction, and records that it did.
 *   APP_ENV=production AUDIT_HASH_KEY=... DATABASE_URL=... npm run audit:rekey
 * Run it once, deliberately: the service itself never accepts an unkeyed row.
 */

import { rekeyLegacyLog } from "../src/audit/rekey";
import { openNodeClient } from "../src/db/open-node";
import { createStore, isEmbeddedUrl } from "../src/db/store";
import { systemClock } from "../src/lib/clock";
import { ConfigError, parseConfig } from "../src/lib/config";

try {
  const config = parseConfig(process.env);
  const client = await openNodeClient(config.databaseUrl, config.databaseAuthToken, config.databaseEncryptionKey);
  const store = createStore(client, { serialiseWrites: isEmbeddedUrl(config.databaseUrl), auditHashKey: config.audit.hashKey });
  const r = await rekeyLegacyLog(store, systemClock);
  client.close();
  if (!r.ok) {
    console.error(
      `The audit log's chain breaks at entry ${r.firstBrokenId}: nothing was changed. Report this to your information governance lead.`,
    );
    process.exit(1);
  }
  console.log(
    r.rekeyed
      ? `Keyed ${r.rekeyed} entries; the log's tip is now ${r.tip.seq} ${r.tip.hash}.`
      : `Every entry was already keyed (${r.tip.seq} in all): nothing to do.`,
  );
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `The rekey failed: ${(err as Error).message}`);
  process.exit(1);
}
