import type { Role } from "../lib/principal";

/** Each role's desk: where it starts and what the navigation calls it. */
export const DESKS: { role: Role; href: string; label: string; description: string }[] = [
  {
    role: "enquirer",
    href: "/enquiries",
    label: "Enquiries",
    description: "Ask whether a child is or was subject of a child protection plan, and see the answers you have been given.",
  },
  { role: "duty_officer", href: "/duty", label: "Call-back queue", description: "Work the queue of enquiries waiting for a call-back." },
  { role: "key_worker", href: "/inbox", label: "Inbox", description: "Enquiries about the children you are key worker for." },
  {
    role: "designated_manager",
    href: "/register",
    label: "Register",
    description:
      "Search the register, decide child-in-need considerations, watch moves, import from the case system and report the Board's figures.",
  },
  { role: "auditor", href: "/audit", label: "Access log", description: "Who read or tried to read what, and whether the log is intact." },
];

export const desksFor = (roles: readonly string[]) => DESKS.filter((d) => roles.includes(d.role));
