import { z } from "zod";

export const ROLES = ["enquirer", "duty_officer", "key_worker", "designated_manager", "auditor"] as const;
export type Role = (typeof ROLES)[number];

/** The claims the service reads from a verified token. An unknown role is a bad token, not a lesser one. */
export const Claims = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  profession: z.string().max(100).optional(),
  agency: z.string().max(200).optional(),
  authorities: z.array(z.string().min(1).max(20)).max(50).optional(),
});

export interface Principal {
  userId: string;
  name: string;
  roles: Role[];
  profession: string | null;
  agency: string | null;
  authorities: string[];
}

export function toPrincipal(claims: z.infer<typeof Claims>): Principal {
  return {
    userId: claims.sub,
    name: claims.name ?? claims.sub,
    roles: [...new Set(claims.roles)],
    profession: claims.profession ?? null,
    agency: claims.agency ?? null,
    authorities: [...new Set((claims.authorities ?? []).map((a) => a.toUpperCase()))],
  };
}

export const hasRole = (p: Principal, ...roles: Role[]) => roles.some((r) => p.roles.includes(r));
