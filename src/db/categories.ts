/** The categories of a child protection plan (Working Together; seed 004 §55 for what an enquirer is told). */
export const planCategories = ["physical_abuse", "emotional_abuse", "sexual_abuse", "neglect"] as const;
