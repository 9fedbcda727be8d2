/** One structured log line; the entries write them as JSON. */
export type Log = (entry: Record<string, unknown>) => void;

/** Errors to stderr and the rest to stdout, one JSON object a line. */
export const consoleLog: Log = (entry) => (entry.level === "error" ? console.error : console.log)(JSON.stringify(entry));

/**
 * An error as it may be logged: the driver's message names the statement's parameters, which can
 * be a child's name or address, so they are withheld; the first frames say where it happened.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err.cause instanceof Error ? err.cause : err;
  const text = `${inner.name}: ${inner.message}`.replace(/params:[\s\S]*$/, "params: [withheld]");
  const where = (inner.stack ?? "")
    .split("\n")
    .slice(1, 4)
    .map((l) => l.trim())
    .join(" < ");
  return `${text}${where ? ` (${where})` : ""}`;
}

/**
 * A scheduled job as both entries run it (Node's timer, the Workers' Cron Trigger): its outcome
 * logged when `worthLogging` says it did something, its failure logged through `describeError`
 * and never thrown on (the next run tries again).
 */
export async function runJob<R extends object>(
  name: string,
  job: () => Promise<R>,
  opts: { log?: Log; worthLogging?: (r: R) => boolean } = {},
): Promise<void> {
  const log = opts.log ?? consoleLog;
  try {
    const r = await job();
    if (opts.worthLogging?.(r) ?? true) log({ at: new Date().toISOString(), job: name, ...r });
  } catch (err) {
    log({ at: new Date().toISOString(), job: name, level: "error", error: describeError(err) });
  }
}
