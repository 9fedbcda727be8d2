/**
 * Writing what is owed to people into the outbox, inside the transaction that creates the
 * thing announced: if the enquiry commits, so does its delivery; if not, neither does.
 * The message says only that there is something to read, with a reference and a link: the
 * details are read in the service, where the access is audited.
 */
import { eq, inArray } from "drizzle-orm";
import { newId } from "../lib/ids";
import { authorities, outbox, type outboxKinds, workers } from "./schema";
import type { Tx } from "./store";

type Kind = (typeof outboxKinds)[number];

const WORDING: Record<Kind, { subject: (ref: string | null) => string; text: (ref: string | null) => string; link: string }> = {
  key_worker_notification: {
    subject: (ref) => `Enquiry ${ref} about a child you work with`,
    text: (ref) =>
      `The child protection register has received an enquiry (${ref}) about a child on your caseload, or at the address of one. Sign in to read it and the enquirer's call-back number:`,
    link: "/v1/notifications?unread=true",
  },
  trawl_alert: {
    subject: () => "Possible trawl of the child protection register",
    text: () =>
      "One login has made more enquiries than the service allows in its window and has been refused. Sign in to see who and when:",
    link: "/v1/alerts",
  },
  audit_checkpoint: {
    subject: () => "The child protection register's audit checkpoint",
    text: () =>
      "A signed checkpoint of the register's audit log: keep it. An auditor can check the log against it later; the public key is at:",
    link: "/v1/audit/public-key",
  },
  enquiry_linked_to_person_posing_risk: {
    subject: (ref) => `An enquiry (${ref}) is linked to a person who may pose a risk to children`,
    text: (ref) =>
      `Enquiry ${ref} gave an address or a carer that matches a person your authority was notified may pose a risk of significant harm to children. What, if anything, is shared with the enquirer is your decision. Sign in to see the alert:`,
    link: "/v1/alerts",
  },
  consideration_opened: {
    subject: (ref) => `A second enquiry about an unknown child (${ref}): consider whether this is a child in need`,
    text: (ref) =>
      `Enquiry ${ref} is the second or later about a child not known to children's social care. Sign in to decide whether this is a child in need:`,
    link: "/v1/cin-considerations?status=open",
  },
  enquiry_without_key_worker: {
    subject: (ref) => `An enquiry (${ref}) about a plan child no key worker here could be told of`,
    text: (ref) =>
      `Enquiry ${ref} is about a child on a child protection plan, or at such a child's address, and no key worker with a login here could be notified (a temporary plan, or a plan with no open case). Sign in to see the alert:`,
    link: "/v1/alerts",
  },
  plan_ended: {
    subject: (ref) => `A child protection plan has ended (${ref})`,
    text: (ref) =>
      `A child protection plan that your agency took part in, or that you are a contact point for, has ended (${ref}). Please update your records. The designated manager of the register can tell you more:`,
    link: "/v1/authorities",
  },
};

interface Delivery {
  authority: string;
  kind: Kind;
  sourceId: string;
  reference: string | null;
  /** Email addresses to write to: the key worker's, or the custodian's. */
  emails: (string | null | undefined)[];
  /** An audit checkpoint travels whole: it is the copy kept outside the service. */
  checkpoint?: { seq: number; hash: string; at: string; signature: string };
}

export async function enqueue(tx: Tx, now: string, items: Delivery[]) {
  if (!items.length) return;
  const codes = [...new Set(items.map((i) => i.authority))];
  const hooks = new Map(
    (
      await tx.select({ code: authorities.code, url: authorities.webhookUrl }).from(authorities).where(inArray(authorities.code, codes))
    ).map((a) => [a.code, a.url]),
  );
  const rows = items.flatMap((i) => {
    const w = WORDING[i.kind];
    const payload = {
      subject: w.subject(i.reference),
      text: w.text(i.reference),
      reference: i.reference,
      link: w.link,
      ...(i.checkpoint ? { checkpoint: i.checkpoint } : {}),
    };
    const base = {
      authority: i.authority,
      kind: i.kind,
      sourceId: i.sourceId,
      payload,
      status: "pending" as const,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    };
    const emails = [...new Set(i.emails.filter((e): e is string => !!e))].map((recipient) => ({
      id: newId(),
      ...base,
      channel: "email" as const,
      recipient,
    }));
    const hook = hooks.get(i.authority);
    return [...emails, ...(hook ? [{ id: newId(), ...base, channel: "webhook" as const, recipient: hook }] : [])];
  });
  if (rows.length) await tx.insert(outbox).values(rows).onConflictDoNothing();
}

/** Deliveries for key-worker notifications just written. */
export async function enqueueForWorkers(
  tx: Tx,
  now: string,
  authority: string,
  reference: string,
  rows: { id: string; workerId: string }[],
) {
  if (!rows.length) return;
  const emails = new Map(
    (
      await tx
        .select({ id: workers.id, email: workers.email })
        .from(workers)
        .where(
          inArray(
            workers.id,
            rows.map((r) => r.workerId),
          ),
        )
    ).map((w) => [w.id, w.email]),
  );
  await enqueue(
    tx,
    now,
    rows.map((r) => ({ authority, kind: "key_worker_notification" as const, sourceId: r.id, reference, emails: [emails.get(r.workerId)] })),
  );
}

/** Deliveries to an authority's register custodian (the designated manager's mailbox). */
export async function enqueueForCustodian(
  tx: Tx,
  now: string,
  authority: string,
  kind: "trawl_alert" | "consideration_opened" | "enquiry_linked_to_person_posing_risk" | "enquiry_without_key_worker",
  sourceId: string,
  reference: string | null,
) {
  const [a] = await tx.select({ email: authorities.custodianEmail }).from(authorities).where(eq(authorities.code, authority));
  await enqueue(tx, now, [{ authority, kind, sourceId, reference, emails: [a?.email] }]);
}
