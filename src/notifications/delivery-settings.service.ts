/**
 * Where an authority's notifications go besides the inbox: the register custodian's mailbox,
 * and its case system's webhook. The webhook's secret is write-only: never shown back, never
 * in the audit log.
 */
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/audit.service";
import { authorities } from "../db/schema";
import type { Ctx } from "../domain/ctx";
import { AppError } from "../lib/errors";
import { managedAuthority } from "../register/authorities.service";
import type { DeliverySettingsInput } from "./delivery-settings.schemas";
import { type WebhookTargetPolicy, webhookUrlProblem } from "./webhook-target";

type Settings = {
  custodianEmail: string | null;
  webhookUrl: string | null;
  healthContactEmail: string | null;
  educationContactEmail: string | null;
};

const view = (a: Settings) => ({
  custodianEmail: a.custodianEmail,
  webhook: a.webhookUrl ? { url: a.webhookUrl } : null,
  healthContactEmail: a.healthContactEmail,
  educationContactEmail: a.educationContactEmail,
});

export async function getDeliverySettings(ctx: Ctx, code: string) {
  return view(await managedAuthority(ctx.store.read, ctx, code));
}

export async function setDeliverySettings(ctx: Ctx, code: string, input: DeliverySettingsInput, policy: WebhookTargetPolicy) {
  return ctx.store.write(async (tx) => {
    const before = await managedAuthority(tx, ctx, code);
    const problem = input.webhook ? webhookUrlProblem(input.webhook.url, policy) : null;
    if (problem)
      throw new AppError("invalid", `The webhook address is refused: it ${problem}.`, {
        errors: [{ path: "webhook.url", message: problem }],
        target: { type: "authority", id: code, authority: code },
      });
    const settings: Settings = {
      custodianEmail: input.custodianEmail,
      webhookUrl: input.webhook?.url ?? null,
      // Seed 004 §47: left out, the health and education contacts stay as they were.
      healthContactEmail: input.healthContactEmail === undefined ? before.healthContactEmail : input.healthContactEmail,
      educationContactEmail: input.educationContactEmail === undefined ? before.educationContactEmail : input.educationContactEmail,
    };
    await tx
      .update(authorities)
      .set({ ...settings, webhookSecret: input.webhook?.secret ?? null })
      .where(eq(authorities.code, code));
    await recordAudit(tx, ctx, {
      action: "authority.delivery.update",
      target: { type: "authority", id: code },
      authority: code,
      detail: settings,
    });
    return view(settings);
  });
}
