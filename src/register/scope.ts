import type { Ctx } from "../domain/ctx";
import { AppError, type Target } from "../lib/errors";

/** A staff member acts only for the authorities their token lists. */
export const actsFor = (ctx: Ctx, authority: string) => ctx.principal.authorities.includes(authority);

/**
 * For a new record in an authority: acting for another authority is refused outright
 * (403), since the caller named it themselves and nothing about it is disclosed.
 */
export function assertMayWriteTo(ctx: Ctx, authority: string, field = "authority") {
  if (!actsFor(ctx, authority))
    throw new AppError("forbidden", `You do not act for authority ${authority}.`, {
      errors: [{ path: field, message: "is not one of your authorities" }],
      target: { type: "authority", id: authority },
    });
}

/** For an existing record: another authority's is simply not found (404), and the attempt is audited. */
export function notInScope(what: string, target: Target): AppError {
  return new AppError("not_found", `${what} was not found.`, { target });
}
