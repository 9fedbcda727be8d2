import type { enquiries } from "../db/schema";
import { formatReference } from "../lib/reference";

export type EnquiryRow = typeof enquiries.$inferSelect;

/** The contact sheet: what the enquirer gave. */
export const detailsView = (e: Pick<EnquiryRow, "id" | "referenceNo" | "details">) => ({
  id: e.id,
  reference: formatReference(e.referenceNo),
  child: e.details.child,
  unborn: e.details.unborn ?? null,
  addresses: e.details.addresses,
  carers: e.details.carers,
  reason: e.details.reason,
});

export const enquirerView = (e: Pick<EnquiryRow, "enquirerName" | "enquirerProfession" | "enquirerAgency">) => ({
  name: e.enquirerName,
  profession: e.enquirerProfession,
  agency: e.enquirerAgency,
});

/** An enquiry as its enquirer sees it: the answer only once it has been given on the call-back. */
export const ownEnquiryView = (e: EnquiryRow) => {
  const { id: _id, reference: _ref, ...details } = detailsView(e);
  return {
    id: e.id,
    reference: formatReference(e.referenceNo),
    authority: e.authority,
    status: e.status,
    receivedAt: e.receivedAt,
    outOfHours: e.outOfHours,
    callbackNumber: e.callbackNumber,
    callbackNumberRecognised: e.callbackNumberRecognised,
    ...details,
    answer: e.status === "answered" ? e.answerGiven : null,
    answeredAt: e.answeredAt,
    adviceGiven: e.adviceGiven,
  };
};
