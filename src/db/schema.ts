/**
 * The whole database schema, in one place. drizzle-kit generates the migrations in
 * `drizzle/` from this file; never edit those by hand.
 *
 * Dates of children's lives are calendar dates stored as `YYYY-MM-DD` text; instants are
 * ISO 8601 UTC text. Ids are UUIDv7 text: opaque to clients, time-ordered for cursors.
 */

import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Principal } from "../lib/principal";
import { considerationDecisions, manualPlanEndReasons, personRelationships, planCategories, planEndReasons } from "../lib/vocabulary";
import type { Answer } from "./answer-shape";

export { considerationDecisions, manualPlanEndReasons, personRelationships, planCategories, planEndReasons };

export interface OfficeHours {
  timezone: string;
  days: number[];
  open: string;
  close: string;
}

export const authorities = sqliteTable("authorities", {
  /** Short stable code, e.g. `STAFFS`: what tokens list in `authorities`. */
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  firstResponsePhone: text("first_response_phone").notNull(),
  officeHours: text("office_hours", { mode: "json" }).$type<OfficeHours>().notNull(),
  /** null: the default list (seed 004 §58); otherwise the authority's own list of profession codes. */
  eligibleProfessions: text("eligible_professions", { mode: "json" }).$type<string[] | null>(),
  /**
   * Postcode areas and districts the authority covers (`BH`, `DT1`): an enquiry giving an
   * address there is checked against this authority's register too (the Pan Dorset note).
   */
  postcodeAreas: text("postcode_areas", { mode: "json" }).$type<string[] | null>(),
  /** Where the register custodian (designated manager) is emailed: trawl alerts, child-in-need considerations. */
  custodianEmail: text("custodian_email"),
  /** The authority's case system, told of every notification by a signed webhook. The secret is never shown back. */
  webhookUrl: text("webhook_url"),
  webhookSecret: text("webhook_secret"),
  /**
   * Seed 004 §47: the local contact points of health (the PCT's successor) and the education
   * authority, told when a plan ends.
   */
  healthContactEmail: text("health_contact_email"),
  educationContactEmail: text("education_contact_email"),
  createdAt: text("created_at").notNull(),
});

export const workers = sqliteTable(
  "workers",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    externalId: text("external_id"),
    name: text("name").notNull(),
    team: text("team"),
    phone: text("phone"),
    email: text("email"),
    /** The login (`sub`) of this key worker: links their notifications to them. */
    userId: text("user_id"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("workers_authority_external").on(t.authority, t.externalId),
    // One login may be a key worker for several authorities of a deployment (a token lists
    // several), so a login is unique within an authority only. Unique across all of them, a
    // manager's 409 told them which logins another authority had linked.
    uniqueIndex("workers_authority_user").on(t.authority, t.userId),
    index("workers_user").on(t.userId),
  ],
);

export const agencies = sqliteTable("agencies", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** The name lower-cased with spaces collapsed: how an enquirer's `agency` claim finds it. */
  nameKey: text("name_key").notNull().unique(),
  /** Where the agency is told that a plan it attended the conference for has ended (seed 004 §47). */
  contactEmail: text("contact_email"),
  createdAt: text("created_at").notNull(),
});

/**
 * The authorities whose enquirers use an agency (the one whose manager recorded it, and every
 * one an enquirer of it has asked): only their managers change its recognised numbers.
 */
export const agencyAuthorities = sqliteTable(
  "agency_authorities",
  {
    agencyId: text("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "cascade" }),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    since: text("since").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.authority] }), index("agency_authorities_authority").on(t.authority)],
);

export const agencyNumbers = sqliteTable(
  "agency_numbers",
  {
    id: text("id").primaryKey(),
    agencyId: text("agency_id")
      .notNull()
      .references(() => agencies.id, { onDelete: "cascade" }),
    /** E.164 */
    number: text("number").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("agency_numbers_agency_number").on(t.agencyId, t.number)],
);

export const children = sqliteTable(
  "children",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    externalId: text("external_id"),
    givenNames: text("given_names").notNull(),
    familyName: text("family_name").notNull(),
    /** Normalised given names and family name (see register/names.ts), for matching and search. */
    givenKey: text("given_key").notNull(),
    familyKey: text("family_key").notNull(),
    /** Space-separated words of every name and alias, for the manager's search. */
    searchText: text("search_text").notNull(),
    dateOfBirth: text("date_of_birth"),
    expectedDateOfDelivery: text("expected_date_of_delivery"),
    sex: text("sex", { enum: ["female", "male", "unknown"] }),
    nhsNumber: text("nhs_number"),
    /** Information about household members that the designated manager has marked shareable. */
    householdNote: text("household_note"),
    /** Hash of the last imported line for this child: an unchanged line is skipped. */
    importHash: text("import_hash"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("children_authority_external").on(t.authority, t.externalId),
    // Blocking key for any name slip on the right date of birth. The names are in the index so
    // that the surname / first-name filter is checked there, not on ~150 table rows a date.
    index("children_authority_dob_names").on(t.authority, t.dateOfBirth, t.familyKey, t.givenKey),
    // Blocking key for near dates of birth: same surname, a date one slip away.
    index("children_authority_family_dob").on(t.authority, t.familyKey, t.dateOfBirth),
    index("children_nhs").on(t.nhsNumber),
  ],
);

export const childAliases = sqliteTable(
  "child_aliases",
  {
    id: text("id").primaryKey(),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    givenNames: text("given_names"),
    familyName: text("family_name"),
    givenKey: text("given_key"),
    familyKey: text("family_key"),
    /** The child's date of birth, copied here so that "alias surname, near date" is one index lookup. */
    dateOfBirth: text("date_of_birth"),
  },
  (t) => [index("child_aliases_child").on(t.childId), index("child_aliases_family_dob").on(t.familyKey, t.dateOfBirth)],
);

/**
 * The people around a child the register records (seed 000 §2.151-2.153, the Pan Dorset note):
 * parents, carers, significant others. Evidence for a match (an enquirer's carers are compared
 * with them), and how an unborn child is found: through the person who is its mother.
 */
export const childPeople = sqliteTable(
  "child_people",
  {
    id: text("id").primaryKey(),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    /** The order they were given in. */
    position: integer("position").notNull(),
    givenNames: text("given_names").notNull(),
    familyName: text("family_name").notNull(),
    aliases: text("aliases", { mode: "json" }).$type<{ givenNames: string | null; familyName: string | null }[]>().notNull(),
    dateOfBirth: text("date_of_birth"),
    relationship: text("relationship", { enum: personRelationships }).notNull(),
    livesWithChild: integer("lives_with_child", { mode: "boolean" }).notNull(),
  },
  (t) => [index("child_people_child").on(t.childId)],
);

/**
 * Each name a recorded person goes by (the name and every alias), keyed as the matcher keys a
 * child's, so that "a carer of this name and date of birth" and "a mother of this name" are
 * index lookups.
 */
export const childPersonNames = sqliteTable(
  "child_person_names",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => childPeople.id, { onDelete: "cascade" }),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    givenKey: text("given_key").notNull(),
    familyKey: text("family_key").notNull(),
    dateOfBirth: text("date_of_birth"),
    relationship: text("relationship", { enum: personRelationships }).notNull(),
  },
  (t) => [
    index("child_person_names_person").on(t.personId),
    index("child_person_names_child").on(t.childId),
    index("child_person_names_family_dob").on(t.familyKey, t.dateOfBirth),
    index("child_person_names_family_given").on(t.familyKey, t.givenKey),
  ],
);

export const childAddresses = sqliteTable(
  "child_addresses",
  {
    id: text("id").primaryKey(),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    line1: text("line1").notNull(),
    line2: text("line2"),
    town: text("town"),
    /** Formatted as Royal Mail prints it, e.g. `ST16 2LH`. */
    postcode: text("postcode"),
    /** Postcode plus the house number or name, normalised: equal keys are "the same address" (domain.md). */
    addressKey: text("address_key"),
    fromDate: text("from_date"),
    toDate: text("to_date"),
  },
  (t) => [index("child_addresses_child").on(t.childId), index("child_addresses_key").on(t.addressKey)],
);

export const cases = sqliteTable(
  "cases",
  {
    id: text("id").primaryKey(),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    type: text("type", { enum: ["child_in_need", "child_protection", "looked_after"] }).notNull(),
    openedOn: text("opened_on").notNull(),
    closedOn: text("closed_on"),
    keyWorkerId: text("key_worker_id").references(() => workers.id),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("cases_child").on(t.childId), index("cases_key_worker").on(t.keyWorkerId)],
);

export const plans = sqliteTable(
  "plans",
  {
    id: text("id").primaryKey(),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    startDate: text("start_date").notNull(),
    endDate: text("end_date"),
    endReason: text("end_reason", { enum: planEndReasons }),
    /**
     * Whose plan it is. A child handed over between two authorities of the deployment keeps
     * both plans, each with its own authority (null on plans recorded before this column: the
     * child's authority then).
     */
    authority: text("authority"),
    /** Seed 004 §62-65: a child subject to another authority's plan who has moved in. */
    temporary: integer("temporary", { mode: "boolean" }).notNull().default(false),
    originatingAuthority: text("originating_authority"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("plans_child").on(t.childId),
    // At most one current plan a child: a second one is a state conflict, settled by the database.
    uniqueIndex("plans_one_current").on(t.childId).where(sql`end_date is null`),
  ],
);

/** The categories a plan held over time: a row is closed (`to_date`) when the category is dropped. */
export const planCategoryHistory = sqliteTable(
  "plan_categories",
  {
    id: text("id").primaryKey(),
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    category: text("category", { enum: planCategories }).notNull(),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date"),
  },
  (t) => [index("plan_categories_plan").on(t.planId)],
);

export const conferences = sqliteTable(
  "conferences",
  {
    id: text("id").primaryKey(),
    childId: text("child_id")
      .notNull()
      .references(() => children.id, { onDelete: "cascade" }),
    type: text("type", { enum: ["initial", "review", "receiving_in"] }).notNull(),
    heldOn: text("held_on").notNull(),
    outcome: text("outcome", { enum: ["plan", "no_plan"] }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("conferences_child").on(t.childId)],
);

/** The agencies represented at a conference: told when the plan it led to ends (seed 004 §47). */
export const conferenceAgencies = sqliteTable(
  "conference_agencies",
  {
    conferenceId: text("conference_id")
      .notNull()
      .references(() => conferences.id, { onDelete: "cascade" }),
    agencyId: text("agency_id")
      .notNull()
      .references(() => agencies.id),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.agencyId] })],
);

/**
 * Who did or tried what, when. Rows are only ever appended. `seq` gives the order the
 * hash chain (a later issue) will be computed over.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    userId: text("user_id"),
    roles: text("roles", { mode: "json" }).$type<string[]>().notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    authority: text("authority"),
    requestId: text("request_id"),
    outcome: text("outcome").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown> | null>(),
    /** The children this access disclosed (also indexed in audit_subjects). */
    subjects: text("subjects", { mode: "json" }).$type<string[]>(),
    /** Over this row's content and the previous row's hash: the tamper-evident chain. */
    prevHash: text("prev_hash"),
    hash: text("hash"),
    /**
     * HMAC-SHA256 with the configured AUDIT_HASH_KEY (true), or plain SHA-256 (false: rows
     * written before the key, accepted only as the chain's beginning).
     */
    keyed: integer("keyed", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("audit_user").on(t.userId, t.seq), index("audit_target").on(t.targetType, t.targetId, t.seq), index("audit_at").on(t.at)],
);

// ---- enquiries ------------------------------------------------------------------------------

/** Everyone who has enquired, as their token last described them (seed 000 2.154: checked and recorded first). */
export const enquirers = sqliteTable("enquirers", {
  userId: text("user_id").primaryKey(),
  name: text("name").notNull(),
  profession: text("profession"),
  agency: text("agency"),
  firstSeenAt: text("first_seen_at").notNull(),
  lastSeenAt: text("last_seen_at").notNull(),
});

export interface UnbornDetails {
  mother: {
    givenNames: string;
    familyName: string;
    aliases: { givenNames?: string | null; familyName?: string | null }[];
    dateOfBirth: string | null;
  };
  expectedDateOfDelivery: string | null;
}

export interface EnquiryDetails {
  /** Null for an enquiry about an unborn child, which `unborn` then holds. */
  child: {
    givenNames: string;
    familyName: string;
    aliases: { givenNames?: string | null; familyName?: string | null }[];
    dateOfBirth: string | null;
    sex: string | null;
    nhsNumber: string | null;
  } | null;
  unborn?: UnbornDetails | null;
  addresses: { line1: string; line2?: string | null; town?: string | null; postcode?: string | null; current: boolean }[];
  carers: { givenNames?: string | null; familyName?: string | null; relationship?: string | null; dateOfBirth?: string | null }[];
  reason: string;
}

export const enquiryStatuses = ["awaiting_callback", "in_callback", "answered"] as const;
export const matchOutcomes = ["known", "possible", "not_known"] as const;

export const enquiries = sqliteTable(
  "enquiries",
  {
    id: text("id").primaryKey(),
    /** The human reference: ENQ-000123. */
    referenceNo: integer("reference_no").notNull().unique(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    enquirerId: text("enquirer_id")
      .notNull()
      .references(() => enquirers.userId),
    /** The enquirer as they were when they asked, which later changes to their record do not rewrite. */
    enquirerName: text("enquirer_name").notNull(),
    enquirerProfession: text("enquirer_profession").notNull(),
    enquirerAgency: text("enquirer_agency"),
    agencyId: text("agency_id").references(() => agencies.id),
    receivedAt: text("received_at").notNull(),
    outOfHours: integer("out_of_hours", { mode: "boolean" }).notNull(),
    status: text("status", { enum: enquiryStatuses }).notNull(),
    /** The contact sheet: everything the enquirer gave, as given. */
    details: text("details", { mode: "json" }).$type<EnquiryDetails>().notNull(),
    callbackNumber: text("callback_number").notNull(),
    callbackNumberRecognised: integer("callback_number_recognised", { mode: "boolean" }).notNull(),
    dateOfBirth: text("date_of_birth"),
    match: text("match", { enum: matchOutcomes }).notNull(),
    childId: text("child_id").references(() => children.id),
    /** The prepared answer, as the duty officer will give it (see enquiries/answer.ts). */
    answer: text("answer", { mode: "json" }).$type<Answer>().notNull(),
    claimedBy: text("claimed_by"),
    claimedByName: text("claimed_by_name"),
    claimedAt: text("claimed_at"),
    matchConfirmedBy: text("match_confirmed_by"),
    matchConfirmedAt: text("match_confirmed_at"),
    answeredAt: text("answered_at"),
    answeredBy: text("answered_by"),
    numberDialled: text("number_dialled"),
    adviceGiven: text("advice_given"),
    /** The answer exactly as given on the call-back: what the enquirer reads afterwards. */
    answerGiven: text("answer_given", { mode: "json" }).$type<Answer>(),
    /**
     * One enquiry checked against several authorities of the deployment is one row each, each
     * answered by its own authority; the others carry the first one's id here.
     */
    groupId: text("group_id"),
    /** What the enquiry cost against the fishing control: the names it tested (the child's and each alias). */
    namesChecked: integer("names_checked").notNull().default(1),
  },
  (t) => [
    index("enquiries_queue").on(t.authority, t.status, t.referenceNo),
    index("enquiries_enquirer").on(t.enquirerId, t.referenceNo),
    index("enquiries_enquirer_time").on(t.enquirerId, t.receivedAt),
    index("enquiries_child").on(t.childId),
    index("enquiries_group").on(t.groupId),
  ],
);

/** Every name an enquiry gave (the child's and its aliases), for finding earlier enquiries about the same child. */
export const enquiryNames = sqliteTable(
  "enquiry_names",
  {
    id: text("id").primaryKey(),
    enquiryId: text("enquiry_id")
      .notNull()
      .references(() => enquiries.id, { onDelete: "cascade" }),
    authority: text("authority").notNull(),
    givenKey: text("given_key"),
    familyKey: text("family_key"),
  },
  (t) => [index("enquiry_names_family").on(t.authority, t.familyKey), index("enquiry_names_enquiry").on(t.enquiryId)],
);

export const enquiryAddressKeys = sqliteTable(
  "enquiry_address_keys",
  {
    id: text("id").primaryKey(),
    enquiryId: text("enquiry_id")
      .notNull()
      .references(() => enquiries.id, { onDelete: "cascade" }),
    addressKey: text("address_key").notNull(),
    current: integer("current", { mode: "boolean" }).notNull(),
  },
  (t) => [index("enquiry_address_keys_key").on(t.addressKey), index("enquiry_address_keys_enquiry").on(t.enquiryId)],
);

export const notificationKinds = ["enquiry_about_open_case", "enquiry_at_same_address"] as const;

export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    workerId: text("worker_id")
      .notNull()
      .references(() => workers.id),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    enquiryId: text("enquiry_id")
      .notNull()
      .references(() => enquiries.id),
    /** The child the notification is about: the enquired child, or the plan child at the same address. */
    childId: text("child_id")
      .notNull()
      .references(() => children.id),
    createdAt: text("created_at").notNull(),
    readAt: text("read_at"),
  },
  (t) => [
    index("notifications_worker").on(t.workerId, t.createdAt),
    // A worker hears once of one enquiry about one child, however the match was reached.
    uniqueIndex("notifications_once").on(t.workerId, t.enquiryId, t.childId),
    // The foreign key's own index: without it SQLite's check on an enquiry written with a
    // subquery (its reference) plans a scan of every notification (test/query-plans.test.ts).
    index("notifications_enquiry").on(t.enquiryId),
  ],
);

/** Seed 004 §61: a second enquiry about a child not known → CSC considers whether this is a child in need. */
export const cinConsiderations = sqliteTable(
  "cin_considerations",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    status: text("status", { enum: ["open", "decided"] }).notNull(),
    openedAt: text("opened_at").notNull(),
    decidedAt: text("decided_at"),
    decidedBy: text("decided_by"),
    decision: text("decision", { enum: considerationDecisions }),
    note: text("note"),
  },
  (t) => [index("cin_considerations_authority").on(t.authority, t.status, t.openedAt)],
);

export const considerationEnquiries = sqliteTable(
  "consideration_enquiries",
  {
    considerationId: text("consideration_id")
      .notNull()
      .references(() => cinConsiderations.id),
    enquiryId: text("enquiry_id")
      .notNull()
      .references(() => enquiries.id),
    addedAt: text("added_at").notNull(),
    /** Linked by the near-miss rules (a name spelt differently): for the manager to judge, not taken as the same child. */
    possibleLink: integer("possible_link", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.considerationId, t.enquiryId] }), index("consideration_enquiries_enquiry").on(t.enquiryId)],
);

/**
 * Signed statements of the audit log's length and tip (Certificate Transparency's signed
 * tree heads). Kept here so that the service can check its own; the copies that count are
 * the ones auditors and the authorities' case systems hold, which no database writer reaches.
 */
export const auditCheckpoints = sqliteTable("audit_checkpoints", {
  seq: integer("seq").primaryKey(),
  hash: text("hash").notNull(),
  at: text("at").notNull(),
  signature: text("signature").notNull(),
});

/** The children an audited access disclosed, so that "who saw this child" is one indexed lookup. */
export const auditSubjects = sqliteTable(
  "audit_subjects",
  {
    auditSeq: integer("audit_seq")
      .notNull()
      .references(() => auditLog.seq),
    childId: text("child_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.childId, t.auditSeq] })],
);

/** Seed 000 2.154 asks that enquirers be legitimate: a burst of enquiries from one login may be a trawl. */
/**
 * People who may pose a risk of significant harm to children, identified with or moved into the
 * area (seed 000 §2.153): kept by the designated manager, seen by nobody else.
 */
export const peoplePosingRisk = sqliteTable(
  "people_posing_risk",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    givenNames: text("given_names").notNull(),
    familyName: text("family_name").notNull(),
    aliases: text("aliases", { mode: "json" }).$type<{ givenNames: string | null; familyName: string | null }[]>().notNull(),
    dateOfBirth: text("date_of_birth"),
    addresses: text("addresses", { mode: "json" })
      .$type<
        { line1: string; line2: string | null; town: string | null; postcode: string | null; from: string | null; to: string | null }[]
      >()
      .notNull(),
    notifiedByAgency: text("notified_by_agency").notNull(),
    notifiedByReference: text("notified_by_reference"),
    notifiedByPhone: text("notified_by_phone").notNull(),
    summary: text("summary").notNull(),
    notifiedOn: text("notified_on").notNull(),
    reviewOn: text("review_on"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("people_posing_risk_authority").on(t.authority, t.reviewOn)],
);

/** What links an enquiry to such a person: each name they go by, and each present address, keyed. */
export const riskPersonKeys = sqliteTable(
  "risk_person_keys",
  {
    id: text("id").primaryKey(),
    personId: text("person_id")
      .notNull()
      .references(() => peoplePosingRisk.id, { onDelete: "cascade" }),
    authority: text("authority").notNull(),
    /** "name": given_key|family_key|date of birth; "address": the present address's key. */
    kind: text("kind", { enum: ["name", "address"] }).notNull(),
    value: text("value").notNull(),
  },
  (t) => [index("risk_person_keys_value").on(t.authority, t.kind, t.value), index("risk_person_keys_person").on(t.personId)],
);

/** An enquiry linked to a person posing risk: the designated manager's alert, and the duty officer's flag. */
export const riskLinks = sqliteTable(
  "risk_links",
  {
    id: text("id").primaryKey(),
    authority: text("authority").notNull(),
    enquiryId: text("enquiry_id")
      .notNull()
      .references(() => enquiries.id, { onDelete: "cascade" }),
    personId: text("person_id")
      .notNull()
      .references(() => peoplePosingRisk.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("risk_links_authority").on(t.authority, t.id), index("risk_links_enquiry").on(t.enquiryId)],
);

export const trawlAlerts = sqliteTable(
  "trawl_alerts",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    enquirerId: text("enquirer_id").notNull(),
    enquirerName: text("enquirer_name").notNull(),
    profession: text("profession"),
    agency: text("agency"),
    at: text("at").notNull(),
    enquiriesInWindow: integer("enquiries_in_window").notNull(),
    windowMinutes: integer("window_minutes").notNull(),
  },
  (t) => [index("trawl_alerts_authority").on(t.authority, t.at), index("trawl_alerts_enquirer").on(t.enquirerId, t.at)],
);

/**
 * An enquiry about a plan child (or a child at a plan child's address) that no key worker with a
 * login could be told of: a temporary plan, or a plan with no open case here (seed 004 §72). The
 * designated manager is told instead.
 */
export const keyWorkerAlerts = sqliteTable(
  "key_worker_alerts",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    enquiryId: text("enquiry_id")
      .notNull()
      .references(() => enquiries.id),
    childId: text("child_id")
      .notNull()
      .references(() => children.id),
    reason: text("reason", { enum: ["enquiry_about_plan_child", "enquiry_at_same_address"] }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("key_worker_alerts_authority").on(t.authority, t.id), uniqueIndex("key_worker_alerts_once").on(t.enquiryId, t.childId)],
);

/** Days an authority's offices are closed besides weekends and bank holidays: no working day. */
export const closureDays = sqliteTable(
  "closure_days",
  {
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    date: text("date").notNull(),
    reason: text("reason").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.authority, t.date] })],
);

export const moveOutcomes = ["receiving_in_plan", "receiving_in_no_plan", "procedures_not_applied"] as const;

/**
 * Seed 004 §62-65: a child subject to another authority's plan moving in. The child is on the
 * register with a temporary plan until the receiving-in conference (due within 15 working days
 * of the move) or a decision that local procedures do not apply.
 */
export const movesIn = sqliteTable(
  "moves_in",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    childId: text("child_id")
      .notNull()
      .references(() => children.id),
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    status: text("status", { enum: ["impending", "actual"] }).notNull(),
    moveDate: text("move_date").notNull(),
    originatingAuthorityName: text("originating_authority_name").notNull(),
    originatingCustodianPhone: text("originating_custodian_phone").notNull(),
    originatingKeyWorkerName: text("originating_key_worker_name").notNull(),
    originatingKeyWorkerPhone: text("originating_key_worker_phone").notNull(),
    receivingInDue: text("receiving_in_due").notNull(),
    /** The move out, from another authority of this deployment, that this move in receives. */
    handoverOf: text("handover_of"),
    outcome: text("outcome", { enum: moveOutcomes }),
    decidedOn: text("decided_on"),
    reason: text("reason"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("moves_in_open_due").on(t.authority, t.outcome, t.receivingInDue),
    index("moves_in_child").on(t.childId),
    // Ending or changing a plan asks whether a move in waits on it (plan-ended.ts, register/moves-waiting.ts).
    index("moves_in_plan").on(t.planId),
  ],
);

/**
 * Seed 004 §41, 66-71: a child on a plan here moving to another authority. The plan stays
 * current until the receiving authority confirms its decision; then it ends with
 * `moved_authority`.
 */
export const movesOut = sqliteTable(
  "moves_out",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    childId: text("child_id")
      .notNull()
      .references(() => children.id),
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    moveDate: text("move_date").notNull(),
    newAddress: text("new_address", { mode: "json" })
      .$type<{ line1: string; line2: string | null; town: string | null; postcode: string | null }>()
      .notNull(),
    receivingAuthorityName: text("receiving_authority_name").notNull(),
    receivingCustodianPhone: text("receiving_custodian_phone").notNull(),
    /** A receiving authority this deployment holds: the record is handed over to it, not copied. */
    receivingAuthorityCode: text("receiving_authority_code").references(() => authorities.code),
    confirmedOn: text("confirmed_on"),
    outcome: text("outcome", { enum: moveOutcomes }),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("moves_out_child").on(t.childId),
    index("moves_out_authority").on(t.authority, t.confirmedOn),
    // Ending or changing a plan asks whether a move out waits on it (register/moves-waiting.ts).
    index("moves_out_plan").on(t.planId),
  ],
);

export const outboxKinds = [
  "key_worker_notification",
  "trawl_alert",
  "consideration_opened",
  "audit_checkpoint",
  "enquiry_linked_to_person_posing_risk",
  "enquiry_without_key_worker",
  "plan_ended",
] as const;

/**
 * Deliveries owed: written in the same transaction as what they announce, sent by the
 * dispatcher (email, signed webhook) with retries. One row per thing announced, channel and
 * address, so nothing is sent twice to the same address once it has been sent.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    authority: text("authority")
      .notNull()
      .references(() => authorities.code),
    kind: text("kind", { enum: outboxKinds }).notNull(),
    /** The notification, trawl alert or consideration announced. */
    sourceId: text("source_id").notNull(),
    channel: text("channel", { enum: ["email", "webhook"] }).notNull(),
    recipient: text("recipient").notNull(),
    /** What is said: a reference and a link, never a child's details. */
    payload: text("payload", { mode: "json" })
      .$type<{
        subject: string;
        text: string;
        reference: string | null;
        link: string;
        checkpoint?: { seq: number; hash: string; at: string; signature: string };
      }>()
      .notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    leaseUntil: text("lease_until"),
    lastError: text("last_error"),
    sentAt: text("sent_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("outbox_once").on(t.sourceId, t.channel, t.recipient),
    index("outbox_due").on(t.status, t.nextAttemptAt),
    index("outbox_source").on(t.sourceId),
  ],
);

// ---- web desks ------------------------------------------------------------------------------

/**
 * A signed-in browser. The cookie carries a random id (signed); the row holds who it is, so
 * that signing out, or an idle or overlong session, ends it on the server too. Only the id's
 * hash is stored: a copy of the database does not hand out live sessions.
 */
export const webSessions = sqliteTable(
  "web_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    principal: text("principal", { mode: "json" }).$type<Principal>().notNull(),
    /** The token every form of this session posts back (synchroniser token). */
    csrf: text("csrf").notNull(),
    /** How the user signed in: the identity provider, or the development sign-in. */
    via: text("via", { enum: ["oidc", "development"] }).notNull(),
    createdAt: text("created_at").notNull(),
    seenAt: text("seen_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("web_sessions_expiry").on(t.expiresAt)],
);
