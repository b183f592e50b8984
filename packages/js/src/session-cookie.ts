import { SESSION_COOKIE } from "@foyer/contract";

/**
 * The `__session` cookie on the app's own domain, so a server-rendered app reads the session
 * token from its requests (as @foyer/backend's authenticateRequest does). It lives as long as
 * the token, is readable by the page (it is the page's own token), SameSite=Lax, and Secure on
 * https pages.
 */
export { SESSION_COOKIE };

function secure(): string {
  return typeof location !== "undefined" && location.protocol === "https:" ? "; Secure" : "";
}

export function writeSessionCookie(jwt: string, exp: number): void {
  if (typeof document === "undefined") return;
  const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from some browsers Foyer supports.
  document.cookie = `${SESSION_COOKIE}=${jwt}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure()}`;
}

export function clearSessionCookie(): void {
  if (typeof document === "undefined") return;
  // biome-ignore lint/suspicious/noDocumentCookie: see writeSessionCookie.
  document.cookie = `${SESSION_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure()}`;
}
