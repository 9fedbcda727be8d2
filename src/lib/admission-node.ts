/**
 * The Node entry's early refusal: a request that admission control would refuse for certain
 * (admission.ts, `shedNow`) is answered 503 from the socket's request listener, before it is
 * turned into a Request and passed through the app. Under overload most requests are refused,
 * and each one the app handled cost about as much CPU as the work it makes room for.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Admission, OVERLOADED } from "./admission";
import { problemHeaders, toProblem } from "./errors";

export function shedIfOverloaded(admission: Admission, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "/").split("?")[0]!;
  if (!admission.shedNow(path)) return false;
  const requestId = randomUUID();
  const body = JSON.stringify(toProblem(OVERLOADED, requestId));
  res.writeHead(OVERLOADED.status, {
    ...problemHeaders(OVERLOADED),
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-request-id": requestId,
  });
  res.end(body);
  return true;
}
