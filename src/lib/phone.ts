import { z } from "@hono/zod-openapi";
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/**
 * A telephone number in any usual UK form ("01785 277041", "+44 1785 277041",
 * "(01785) 277041"), answered in E.164. Numbers outside the UK are accepted in
 * international form; the country is not checked because 07624 reports IM and some 07
 * ranges GG/JE.
 */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), "GB");
  return parsed?.isValid() ? parsed.number : null;
}

/** "+441785277041" → "01785 277041": how a person reads a UK number out. */
export function formatForPeople(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? (parsed.country === "GB" ? parsed.formatNational() : parsed.formatInternational()) : e164;
}

export const PhoneNumber = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const e164 = toE164(s);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: "is not a valid telephone number" });
      return z.NEVER;
    }
    return e164;
  })
  .openapi({ type: "string", maxLength: 40, example: "01785 277041", description: "Any usual UK form; stored and answered in E.164" });
