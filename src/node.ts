import { lookup } from "node:dns/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createTransport } from "nodemailer";
import { sendCheckpoints } from "./audit/checkpoints";
import { signerFor } from "./audit/keys";
import { createTokenVerifier } from "./auth/verify";
import { migrateDatabase } from "./db/migrate";
import { openNodeClient } from "./db/open-node";
import { createStore, isEmbeddedUrl } from "./db/store";
import { createAdmission } from "./lib/admission";
import { shedIfOverloaded } from "./lib/admission-node";
import { systemClock } from "./lib/clock";
import { ConfigError, parseConfig } from "./lib/config";
import { runJob } from "./lib/log";
import { fileSpool } from "./lib/spool-node";
import { createNodeApp } from "./node-app";
import { dispatchDue, type Mail } from "./notifications/dispatch";
import { pinnedFetch } from "./notifications/pinned-fetch";
import { endPlansAtEighteen } from "./register/reached-18";

const JOB_INTERVAL_MS = 60 * 60 * 1000;

// Loud on purpose: a server that shows this must not be holding real children's records.
const DEVELOPMENT_BANNER = [
  "",
  "!".repeat(78),
  "!! DEVELOPMENT MODE: anyone who can reach this server can sign in as anyone",
  "!! (the development sign-in, the public development secret, npm run token).",
  "!! Never run it like this with real records: a deployment sets APP_ENV=production",
  "!! and its identity provider (README, Configuration).",
  "!".repeat(78),
  "",
].join("\n");

/** The Node entry: the embedded libSQL file by default, or any remote libSQL server. */
async function main() {
  const config = parseConfig(process.env);
  const client = await openNodeClient(config.databaseUrl, config.databaseAuthToken, config.databaseEncryptionKey);
  const embedded = isEmbeddedUrl(config.databaseUrl);
  // On the embedded default the service keeps its own schema current; a shared remote
  // database is migrated deliberately, with `npm run db:migrate`.
  if (embedded) await migrateDatabase(client);
  const store = createStore(client, { serialiseWrites: embedded, auditHashKey: config.audit.hashKey });
  const empty = Number((await client.execute("SELECT count(*) AS n FROM authorities")).rows[0]?.n ?? 0) === 0;
  const admission = createAdmission(config.admission);
  const app = createNodeApp({
    store,
    clock: systemClock,
    config,
    verifyToken: createTokenVerifier(config.auth),
    createSpool: fileSpool,
    admission,
  });

  // A request admission control would refuse for certain is answered before the app sees it.
  const listener = getRequestListener(app.fetch);
  const server = createServer((req, res) => {
    if (!shedIfOverloaded(admission, req, res)) void listener(req, res);
  });
  server.listen(config.port, () => {
    const info = { port: (server.address() as AddressInfo).port };
    const where = embedded ? config.databaseUrl : config.databaseUrl.replace(/\?.*$/, "");
    console.log(
      `Child protection register enquiry service listening on http://localhost:${info.port} (${config.appEnv}, database ${where})`,
    );
    if (config.devFeatures) console.log(DEVELOPMENT_BANNER);
    console.log(
      `The desks: open http://localhost:${info.port}/${config.devFeatures ? ` and use the development sign-in (http://localhost:${info.port}/dev/sign-in)` : ""}`,
    );
    if (empty && config.devFeatures)
      console.log(
        `The register is empty: stop the server and run npm run seed:demo for a demo register (its people are on the development sign-in page).`,
      );
    if (config.devFeatures && config.auth.kind === "secret") {
      console.log("Get a development token with, for example:");
      console.log("  npm run token -- --role designated_manager --authority STAFFS");
      console.log("  npm run token -- --role enquirer --profession police_sergeant --agency 'Staffordshire Police'");
      console.log(`then: curl -H "Authorization: Bearer $TOKEN" http://localhost:${info.port}/v1/authorities`);
    }
  });

  // Scheduled work (the Workers entry runs the same from a Cron Trigger): at start, then hourly.
  const runJobs = async () => {
    await runJob("reached-18", () => endPlansAtEighteen(store, systemClock), { worthLogging: (r) => r.ended > 0 });
    await runJob("audit-checkpoint", () => sendCheckpoints(store, systemClock, signerFor(config), config.audit.checkpointHours), {
      worthLogging: (r) => !!r.sent,
    });
  };
  void runJobs();
  const jobs = setInterval(runJobs, JOB_INTERVAL_MS);
  jobs.unref();

  // The outbox's dispatcher: email through SMTP when configured, webhooks always.
  const mailer = config.delivery.smtpUrl
    ? createTransport(
        `${config.delivery.smtpUrl}${config.delivery.smtpUrl.includes("?") ? "&" : "?"}connectionTimeout=30000&greetingTimeout=30000&socketTimeout=30000`,
      )
    : null;
  if (!mailer) console.log("SMTP_URL is not set: notification emails wait in the outbox until a dispatcher with SMTP runs.");
  // Every address the webhook's name resolves to is checked before a send (webhook-target.ts).
  const resolve = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);
  // The POST connects to the address the check passed, not to a second lookup's answer (pinned-fetch.ts).
  const transports = {
    sendMail: mailer ? (m: Mail) => mailer.sendMail(m) : undefined,
    fetch: pinnedFetch(resolve, { appEnv: config.appEnv }),
    resolve,
  };
  let dispatching = false;
  const dispatch = async () => {
    if (dispatching) return;
    dispatching = true;
    try {
      await runJob(
        "dispatch",
        () =>
          dispatchDue(store, systemClock, transports, {
            publicUrl: config.delivery.publicUrl,
            mailFrom: config.delivery.mailFrom,
            webhookTargets: { appEnv: config.appEnv },
          }),
        { worthLogging: (r) => !!(r.sent || r.retried || r.failed) },
      );
    } finally {
      dispatching = false;
    }
  };
  const dispatcher = setInterval(dispatch, config.delivery.intervalSeconds * 1000);
  dispatcher.unref();

  // Requests refused as overload are not each logged (that would add to the overload): a count a minute.
  let refusedBefore = 0;
  const overloadLog = setInterval(() => {
    const { refused } = admission.stats();
    if (refused > refusedBefore)
      console.log(JSON.stringify({ at: new Date().toISOString(), job: "admission", refusedInTheLastMinute: refused - refusedBefore }));
    refusedBefore = refused;
  }, 60_000);
  overloadLog.unref();

  const stop = () => {
    // How group commit went over the server's life (the bench reads it from the log).
    console.log(
      JSON.stringify({ at: new Date().toISOString(), job: "shutdown", writes: store.writeStats(), admission: admission.stats() }),
    );
    clearInterval(jobs);
    clearInterval(dispatcher);
    server.close(() => {
      client.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(
    err instanceof ConfigError ? err.message : `The service could not start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
