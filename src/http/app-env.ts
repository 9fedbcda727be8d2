import type { Context } from "hono";
import type { Limits } from "../auth/limits";
import type { VerifyToken } from "../auth/verify";
import type { Store } from "../db/store";
import type { Admission } from "../lib/admission";
import type { Clock } from "../lib/clock";
import type { Config } from "../lib/config";
import type { Target } from "../lib/errors";
import type { Principal } from "../lib/principal";
import type { CreateSpool } from "../lib/spool";

/** What the app is built from: everything that touches the outside world. */
export interface Deps {
  store: Store;
  clock: Clock;
  config: Config;
  verifyToken: VerifyToken;
  log?: (entry: Record<string, unknown>) => void;
  /** Where an import body is kept between its two passes (a file on Node, memory on Workers). */
  createSpool?: CreateSpool;
  /** The client's address, as the runtime knows it (the socket on Node, cf-connecting-ip on Workers). */
  clientAddress?: (c: Context<AppEnv>) => string | null;
  /** Admission control shared with the Node entry's early refusal; made from the config when left out. */
  admission?: Admission;
  /** A limiter shared beyond this process (the Workers rate-limiting binding): true when allowed. */
  edgeLimit?: (key: string) => Promise<boolean>;
  /**
   * Lets a webhook address on loopback be saved, for the receiver the delivery tests run on
   * 127.0.0.1. Only test code sets it; no entry point or environment variable does.
   */
  testOnlyAllowLoopbackWebhooks?: true;
}

/** A signed-in browser on the web desks (web/session.ts keeps it). */
export interface WebSession {
  principal: Principal;
  csrf: string;
  via: "oidc" | "development";
}

export type AppEnv = {
  Variables: {
    requestId: string;
    deps: Deps;
    limits: Limits;
    principal?: Principal;
    /** A signed-in browser on the web desks. */
    session?: WebSession;
    /** Set when a request is refused, so the refusal is audited with what it was about. */
    refusalTarget?: Target;
    refusalDetail?: Record<string, unknown>;
  };
};
