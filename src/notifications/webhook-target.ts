/**
 * Where a webhook may be posted. The dispatcher posts from inside the deployment, so an
 * address pointing inside (the cloud's metadata service, a database on loopback, the council's
 * private network) would let a manager's setting reach what no user can. Checked when the
 * address is saved, and again before each send after resolving the name, since a name that
 * resolved to a public address when saved may resolve to 127.0.0.1 later (DNS rebinding).
 *
 * No Node API here: the same checks run on Workers.
 */
import type { Config } from "../lib/config";

/** Every address a host name resolves to (Node: dns.promises.lookup with all: true). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface WebhookTargetPolicy {
  appEnv: Config["appEnv"];
  /**
   * Lets loopback (127.0.0.0/8, ::1) through and nothing else: only test code sets it, for the
   * receiver the delivery tests run on this machine. Never read from the environment.
   */
  testOnlyAllowLoopback?: true;
}

const BLOCKED_NAMES = new Set(["localhost", "metadata.google.internal", "metadata"]);

function parseIPv4(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

/** 16 bytes, or null. Accepts the forms the URL parser and getaddrinfo give (an IPv4 tail, a zone). */
function parseIPv6(input: string): number[] | null {
  let s = input
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "")
    .toLowerCase();
  if (!s.includes(":")) return null;
  let tail: number[] | null = null;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    tail = parseIPv4(v4[1]!);
    if (!tail) return null;
    // Two placeholder groups stand for the IPv4 tail while the groups are counted.
    s = `${s.slice(0, -v4[1]!.length)}0:0`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const words = [...head, ...Array<string>(fill).fill("0"), ...rest].map((g) => parseInt(g, 16));
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail) bytes.splice(12, 4, ...tail);
  return bytes;
}

function internalIPv4([a, b, c, d]: number[]): string | null {
  if (a === 169 && b === 254 && c === 169 && d === 254) return "a cloud metadata address";
  if (a === 127) return "a loopback address";
  if (a === 0) return "an unspecified address";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "a private address";
  if (a === 100 && b! >= 64 && b! <= 127) return "a shared (CGNAT) address";
  if (a === 169 && b === 254) return "a link-local address";
  if (a === 192 && b === 0 && c === 0) return "a reserved address";
  if (a === 198 && (b === 18 || b === 19)) return "a reserved address";
  if (a! >= 224 && a! <= 239) return "a multicast address";
  if (a! >= 240) return "a reserved address";
  return null;
}

function internalIPv6(b: number[]): string | null {
  const zeroTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  const v4 = b.slice(12);
  if (zeroTo(15) && b[15] === 1) return "a loopback address";
  if (zeroTo(16)) return "an unspecified address";
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 rules apply.
  if (zeroTo(10) && b[10] === 0xff && b[11] === 0xff) return internalIPv4(v4);
  if (zeroTo(12)) return internalIPv4(v4);
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address a gateway may reach.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return internalIPv4(v4);
  if (b[0] === 0x20 && b[1] === 0x02) return internalIPv4(b.slice(2, 6));
  if (
    b[0] === 0xfd &&
    b[1] === 0x00 &&
    b[2] === 0x0e &&
    b[3] === 0xc2 &&
    b.slice(4, 14).every((x) => x === 0) &&
    b[14] === 0x02 &&
    b[15] === 0x54
  )
    return "a cloud metadata address";
  if ((b[0]! & 0xfe) === 0xfc) return "a unique-local address";
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return "a link-local address";
  if (b[0] === 0xff) return "a multicast address";
  return null;
}

const isLoopback = (ip: string) => {
  const v4 = parseIPv4(ip);
  if (v4) return v4[0] === 127;
  const v6 = parseIPv6(ip);
  return !!v6 && v6.slice(0, 15).every((x) => x === 0) && v6[15] === 1;
};

/** Why an IP address (as text) must not be posted to, or null for a public one; null too for a non-address. */
export function internalAddress(ip: string, policy?: WebhookTargetPolicy): string | null {
  if (policy?.testOnlyAllowLoopback && isLoopback(ip)) return null;
  const v4 = parseIPv4(ip);
  if (v4) return internalIPv4(v4);
  const v6 = parseIPv6(ip);
  if (v6) return internalIPv6(v6);
  return null;
}

const isIpLiteral = (hostname: string) => !!parseIPv4(hostname) || !!parseIPv6(hostname);

/**
 * Why a webhook address is refused, or null. The URL parser (the one fetch uses) has already
 * turned odd IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1) into dotted quads, so the check
 * sees the address fetch would connect to.
 */
export function webhookUrlProblem(raw: string, policy: WebhookTargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an https:// address";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.appEnv !== "production")) return "must be an https:// address";
  if (url.username || url.password) return "must not carry a user name or password";
  const host = url.hostname.replace(/\.$/, "").toLowerCase();
  if (!host) return "must name a host";
  if (isIpLiteral(host)) {
    const why = internalAddress(host, policy);
    return why ? `must not be ${why}` : null;
  }
  if (policy.testOnlyAllowLoopback && host === "localhost") return null;
  if (BLOCKED_NAMES.has(host) || host.endsWith(".localhost")) return `must not be an internal host name (${host})`;
  // A name of digits and dots the URL parser did not take as IPv4 is no public host either.
  if (/^[\d.]+$/.test(host) || /^0x/i.test(host)) return "must be a host name or a public IP address";
  return null;
}

/**
 * The send-time check: the saved address's rules again, then every address the name resolves
 * to must be public (any internal one refuses the send: a resolver may hand out either).
 * Without a resolver (Workers, whose fetch cannot reach private networks) only the first part
 * applies.
 */
export async function assertWebhookTarget(raw: string, policy: WebhookTargetPolicy, resolve?: ResolveHost): Promise<void> {
  const problem = webhookUrlProblem(raw, policy);
  if (problem) throw new Error(`the webhook address is refused: it ${problem}`);
  const host = new URL(raw).hostname.replace(/\.$/, "").toLowerCase();
  if (!resolve || isIpLiteral(host) || (policy.testOnlyAllowLoopback && host === "localhost")) return;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    throw new Error(`the webhook's host ${host} could not be resolved (${(err as { code?: string }).code ?? "lookup failed"})`);
  }
  if (!addresses.length) throw new Error(`the webhook's host ${host} resolved to no address`);
  for (const a of addresses) {
    const why = internalAddress(a, policy);
    if (why) throw new Error(`the webhook's host ${host} resolves to ${why} (${a}); nothing was sent`);
  }
}
