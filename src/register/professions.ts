/**
 * The professions the service knows. `eligible: true` marks seed 004 §58, the default list
 * of who may consult the register; an authority's designated manager can change its own
 * list (a code must be one of these). The others are here so that a refusal is recorded
 * against a named profession rather than an unknown string.
 */
export const PROFESSIONS = [
  { code: "csc_social_worker", label: "Children's Social Care social worker", eligible: true, sector: "social_care" },
  { code: "csc_manager", label: "Children's Social Care manager", eligible: true, sector: "social_care" },
  { code: "police_sergeant", label: "Police sergeant or above", eligible: true, sector: "police" },
  { code: "police_caiu_officer", label: "Police officer, Child Abuse Investigation Unit", eligible: true, sector: "police" },
  { code: "police_domestic_violence_officer", label: "Police Domestic Violence Officer", eligible: true, sector: "police" },
  { code: "dentist", label: "Dentist", eligible: true, sector: "health" },
  { code: "dietician", label: "Dietician", eligible: true, sector: "health" },
  { code: "health_visitor", label: "Health visitor", eligible: true, sector: "health" },
  { code: "midwife", label: "Midwife", eligible: true, sector: "health" },
  { code: "occupational_therapist", label: "Occupational therapist", eligible: true, sector: "health" },
  { code: "psychologist", label: "Psychologist", eligible: true, sector: "health" },
  { code: "psychotherapist", label: "Psychotherapist", eligible: true, sector: "health" },
  { code: "physiotherapist", label: "Physiotherapist", eligible: true, sector: "health" },
  {
    code: "registered_medical_practitioner",
    label: "Registered medical practitioner (including Clinical Medical Officers)",
    eligible: true,
    sector: "health",
  },
  { code: "radiographer", label: "Radiographer", eligible: true, sector: "health" },
  { code: "registered_nurse", label: "Registered nurse (including school nurses)", eligible: true, sector: "health" },
  { code: "speech_therapist", label: "Speech therapist", eligible: true, sector: "health" },
  { code: "cafcass_officer", label: "CAFCASS officer", eligible: true, sector: "justice" },
  { code: "probation_officer", label: "Probation officer or senior staff", eligible: true, sector: "justice" },
  { code: "nspcc_staff", label: "NSPCC operational staff", eligible: true, sector: "voluntary" },
  { code: "head_teacher", label: "Head teacher", eligible: true, sector: "education" },
  { code: "designated_teacher", label: "Designated teacher for child protection", eligible: true, sector: "education" },
  { code: "education_welfare_officer", label: "Education Welfare Officer or senior", eligible: true, sector: "education" },
  {
    code: "armed_services_welfare_officer",
    label: "Armed services welfare officer, or commissioned rank not below captain/flight lieutenant",
    eligible: true,
    sector: "armed_services",
  },
  { code: "prison_governor", label: "Prison governor (or nominated deputy)", eligible: true, sector: "justice" },
  { code: "head_of_paramedical_services", label: "Head of paramedical services", eligible: true, sector: "health" },
  { code: "youth_community_worker", label: "Area youth and community worker", eligible: true, sector: "youth_and_community" },
  { code: "yot_member", label: "Youth Offending Team member", eligible: true, sector: "justice" },
  { code: "police_constable", label: "Police constable (not CAIU or DV)", eligible: false, sector: "police" },
  { code: "teacher", label: "Teacher (not head or designated teacher)", eligible: false, sector: "education" },
  { code: "paramedic", label: "Paramedic", eligible: false, sector: "health" },
  { code: "member_of_public", label: "Member of the public", eligible: false, sector: "public" },
] as const;

export const DEFAULT_ELIGIBLE: string[] = PROFESSIONS.filter((p) => p.eligible).map((p) => p.code);
const LABELS = new Map<string, string>(PROFESSIONS.map((p) => [p.code, p.label]));
const SECTORS = new Map<string, string>(PROFESSIONS.map((p) => [p.code, p.sector]));

/** The kind of agency a profession works in, for the Board's statistics ("enquiries by agency type"). */
export const SECTOR_NAMES = [
  "social_care",
  "police",
  "health",
  "education",
  "justice",
  "voluntary",
  "armed_services",
  "youth_and_community",
  "public",
  "other",
] as const;
export const sectorOf = (code: string | null | undefined) => (code && SECTORS.get(code)) || "other";

export const isKnownProfession = (code: string) => LABELS.has(code);
export const professionLabel = (code: string) => LABELS.get(code) ?? code;

/** The list an authority has set, or the default. */
export const eligibleFor = (own: string[] | null) => own ?? DEFAULT_ELIGIBLE;
