/** The register's fixed vocabularies: the database columns hold them, and the API and the desks name them. */

/** The categories of a child protection plan (Working Together; seed 004 §55 for what an enquirer is told). */
export const planCategories = ["physical_abuse", "emotional_abuse", "sexual_abuse", "neglect"] as const;

export const personRelationships = ["mother", "father", "step_parent", "carer", "partner_of_parent", "sibling", "other"] as const;
export const planEndReasons = ["no_longer_at_risk", "moved_authority", "reached_18", "died", "left_uk", "procedures_not_applied"] as const;
/** The end reasons a designated manager may give by hand; `procedures_not_applied` ends only a temporary plan (moves in). */
export const manualPlanEndReasons = ["no_longer_at_risk", "moved_authority", "reached_18", "died", "left_uk"] as const;
export const considerationDecisions = ["child_in_need", "not_child_in_need", "referred"] as const;
