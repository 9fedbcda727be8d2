import type { planEndReasons } from "../lib/vocabulary";
import { humanise } from "./ui";

const END_REASONS: Record<(typeof planEndReasons)[number], string> = {
  no_longer_at_risk: "No longer at risk",
  moved_authority: "Moved to another authority",
  reached_18: "Reached 18",
  died: "Died",
  left_uk: "Left the UK",
  procedures_not_applied: "Child protection procedures not applied",
};

/** Why a plan ended, in words (the codes' own spelling loses "the UK"). */
export const endReasonLabel = (code: string | null | undefined) =>
  code ? (END_REASONS[code as keyof typeof END_REASONS] ?? humanise(code)) : "Not recorded";
