/**
 * The Node dispatcher's webhook POST: the connection goes to the very address that was
 * checked. `fetch` resolves the host again for itself, so a name that answered a public
 * address for the check could answer 127.0.0.1 for the connection (DNS rebinding). Here the
 * socket's own lookup is the check: every address the name resolves to must be public, and
 * the socket connects to one of those. No pooled socket is reused (agent: false): each POST
 * is its own connection, looked up and checked afresh.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { internalAddress, type ResolveHost, type WebhookTargetPolicy } from "./webhook-target";

export function pinnedFetch(resolve: ResolveHost, policy: WebhookTargetPolicy): typeof fetch {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.map((a) => [a, internalAddress(a, policy)] as const).find(([, why]) => why);
        if (refused)
          return callback(new Error(`the webhook's host ${hostname} resolves to ${refused[1]} (${refused[0]}); nothing was sent`), "", 4);
        const address = addresses[0];
        if (!address) return callback(new Error(`the webhook's host ${hostname} resolved to no address`), "", 4);
        const family = address.includes(":") ? 6 : 4;
        if (options.all) callback(null, [{ address, family }]);
        else callback(null, address, family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, "", 4),
    );
  };
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const body = typeof init.body === "string" ? init.body : "";
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<Response>((resolvePromise, reject) => {
      const req = send(
        url,
        {
          method: init.method ?? "GET",
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
          lookup,
          agent: false,
          signal: init.signal ?? undefined,
        },
        (res) => {
          res.resume();
          // Redirects are answers, not instructions: they are not followed (a public host could point inside).
          res.on("end", () => resolvePromise(new Response(null, { status: res.statusCode ?? 502 })));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }) as typeof fetch;
}
