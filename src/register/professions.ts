/**
 * The professions the service knows. `eligible: true` marks seed 004 §58, the default list
 * of who may consult the register; an authority's designated manager can change its own
 * list (a code must be one of these). The others are here so that a refusal is recorded
 * against a named profession rather than an unknown string.
 */
export const PROFESSIONS = [
  { code: "csc_social_worker", label: "Children's Social Care social worker", eligible: true },
  { code: "csc_manager", label: "Children's Social Care manager", eligible: true },
  { code: "police_sergeant", label: "Police sergeant or above", eligible: true },
  { code: "police_caiu_officer", label: "Police officer, Child Abuse Investigation Unit", eligible: true },
  { code: "police_domestic_violence_officer", label: "Police Domestic Violence Officer", eligible: true },
  { code: "dentist", label: "Dentist", eligible: true },
  { code: "dietician", label: "Dietician", eligible: true },
  { code: "health_visitor", label: "Health visitor", eligible: true },
  { code: "midwife", label: "Midwife", eligible: true },
  { code: "occupational_therapist", label: "Occupational therapist", eligible: true },
  { code: "psychologist", label: "Psychologist", eligible: true },
  { code: "psychotherapist", label: "Psychotherapist", eligible: true },
  { code: "physiotherapist", label: "Physiotherapist", eligible: true },
  { code: "registered_medical_practitioner", label: "Registered medical practitioner (including Clinical Medical Officers)", eligible: true },
  { code: "radiographer", label: "Radiographer", eligible: true },
  { code: "registered_nurse", label: "Registered nurse (including school nurses)", eligible: true },
  { code: "speech_therapist", label: "Speech therapist", eligible: true },
  { code: "cafcass_officer", label: "CAFCASS officer", eligible: true },
  { code: "probation_officer", label: "Probation officer or senior staff", eligible: true },
  { code: "nspcc_staff", label: "NSPCC operational staff", eligible: true },
  { code: "head_teacher", label: "Head teacher", eligible: true },
  { code: "designated_teacher", label: "Designated teacher for child protection", eligible: true },
  { code: "education_welfare_officer", label: "Education Welfare Officer or senior", eligible: true },
  { code: "armed_services_welfare_officer", label: "Armed services welfare officer, or commissioned rank not below captain/flight lieutenant", eligible: true },
  { code: "prison_governor", label: "Prison governor (or nominated deputy)", eligible: true },
  { code: "head_of_paramedical_services", label: "Head of paramedical services", eligible: true },
  { code: "youth_community_worker", label: "Area youth and community worker", eligible: true },
  { code: "yot_member", label: "Youth Offending Team member", eligible: true },
  { code: "police_constable", label: "Police constable (not CAIU or DV)", eligible: false },
  { code: "teacher", label: "Teacher (not head or designated teacher)", eligible: false },
  { code: "paramedic", label: "Paramedic", eligible: false },
  { code: "member_of_public", label: "Member of the public", eligible: false },
] as const;

export type ProfessionCode = (typeof PROFESSIONS)[number]["code"];

export const DEFAULT_ELIGIBLE: string[] = PROFESSIONS.filter((p) => p.eligible).map((p) => p.code);
const LABELS = new Map<string, string>(PROFESSIONS.map((p) => [p.code, p.label]));

export const isKnownProfession = (code: string) => LABELS.has(code);
export const professionLabel = (code: string) => LABELS.get(code) ?? code;

/** The list an authority has set, or the default. */
export const eligibleFor = (own: string[] | null) => own ?? DEFAULT_ELIGIBLE;
