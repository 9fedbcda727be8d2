import type { Store } from "../db/store";
import type { Clock } from "../lib/clock";
import type { Config } from "../lib/config";
import type { Principal } from "../lib/principal";

/** The settings the domain's verbs act on: read from the config once, at start-up. */
export type DomainConfig = Pick<Config, "enquiryLimit" | "audit">;

/** What a service verb needs to act: who asks, when, on which store, under which settings. No HTTP in here. */
export interface Ctx {
  store: Store;
  clock: Clock;
  principal: Principal;
  requestId: string;
  config: DomainConfig;
}
