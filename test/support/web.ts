import type { Role } from "../../src/lib/principal";
import type { TestApp } from "./app";

/**
 * A browser's session on the desks, driven through app.request(): it signs in with the
 * development sign-in (as a developer would) and keeps the cookie and the CSRF token.
 */
export interface WebUser {
  cookie: string;
  csrf: string;
  get(path: string): Promise<PageRes>;
  post(path: string, form: Record<string, string | string[]>, opts?: { csrf?: string | null }): Promise<PageRes>;
}

export interface PageRes {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
}

const cookieOf = (res: Response, name: string) => {
  for (const c of res.headers.getSetCookie()) if (c.startsWith(`${name}=`)) return c.split(";")[0]!;
  return null;
};

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;

async function toPage(res: Response): Promise<PageRes> {
  return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get("location") };
}

export function formBody(form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return body;
}

/** The development sign-in form as a browser gets it: its pre-session cookie and CSRF token. */
export async function devSignInForm(t: TestApp, cookie?: string): Promise<{ pre: string; csrf: string }> {
  const form = await t.app.request("/dev/sign-in", cookie ? { headers: { cookie } } : {});
  const pre = cookieOf(form, "__Host-register_pre");
  const csrf = csrfOf(await form.text());
  if (!pre || !csrf) throw new Error("the development sign-in page gave no CSRF token");
  return { pre, csrf };
}

export async function signInDev(
  t: TestApp,
  claims: { userId: string; name?: string; roles: Role[]; authorities?: string[]; profession?: string; agency?: string },
): Promise<WebUser> {
  const { pre, csrf: token } = await devSignInForm(t);
  const res = await t.app.request("/dev/sign-in", {
    method: "POST",
    headers: { cookie: pre, "content-type": "application/x-www-form-urlencoded" },
    body: formBody({
      _csrf: token,
      userId: claims.userId,
      name: claims.name ?? claims.userId,
      roles: claims.roles,
      authorities: (claims.authorities ?? []).join(","),
      profession: claims.profession ?? "",
      agency: claims.agency ?? "",
    }),
  });
  const cookie = cookieOf(res, "__Host-register_session");
  if (res.status !== 303 || !cookie) throw new Error(`development sign-in failed: ${res.status} ${await res.text()}`);
  const home = await (await t.app.request("/", { headers: { cookie } })).text();
  const csrf = csrfOf(home)!;
  const user: WebUser = {
    cookie,
    csrf,
    get: async (path) => toPage(await t.app.request(path, { headers: { cookie, accept: "text/html" } })),
    post: async (path, f, opts = {}) =>
      toPage(
        await t.app.request(path, {
          method: "POST",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
          body: formBody(opts.csrf === null ? f : { _csrf: opts.csrf ?? csrf, ...f }),
        }),
      ),
  };
  return user;
}

/** The text of a page without its markup, for asserting what a person reads. */
export const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
