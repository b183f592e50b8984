/**
 * A test Foyer wired to a real in-process Atlassian emulator (its shared credentials), plus a
 * small cookie jar and a helper that walks the whole redirect flow over HTTP the way a browser
 * would: start, Atlassian authorize (answered by a queued consent), callback.
 */

import type { EmulatorSettings } from "@foyer/atlassian-emulator";
import {
  type ConsentAnswer,
  demoSeed,
  type RunningEmulator,
  startAtlassianEmulator,
} from "@foyer/atlassian-emulator";
import type { DbKind } from "./databases.js";
import { createTestFoyer, type TestFoyer, type TestFoyerOptions } from "./harness.js";

export const SHARED_CLIENT_ID = "foyer-test-shared";
export const SHARED_CLIENT_SECRET = "shared-secret-for-tests-0123456789abcdef";

export const EMULATED_SCOPES = [
  "read:me",
  "read:jira-user",
  "read:jira-work",
  "write:jira-work",
  "read:confluence-space.summary",
];

export interface EmulatedFoyer extends TestFoyer {
  emulator: RunningEmulator;
}

export async function createEmulatedFoyer(
  kind: DbKind,
  opts: TestFoyerOptions & { emulatorSettings?: Partial<EmulatorSettings> } = {},
): Promise<EmulatedFoyer> {
  const emulator = await startAtlassianEmulator({ seed: demoSeed(), settings: opts.emulatorSettings });
  const foyer = await createTestFoyer(kind, {
    ...opts,
    atlassian: {
      authUrl: emulator.authUrl,
      apiUrl: emulator.apiUrl,
      shared: { clientId: SHARED_CLIENT_ID, clientSecret: SHARED_CLIENT_SECRET },
      emulated: true,
      timeoutMs: 2_000,
      ...opts.atlassian,
    },
  });
  const publicUrl = foyer.svc.config.publicUrl;
  emulator.control.upsertApp({
    clientId: SHARED_CLIENT_ID,
    clientSecret: SHARED_CLIENT_SECRET,
    name: "Foyer tests (shared)",
    callbackUrl: `${publicUrl}/v1/oauth_callback`,
    scopes: EMULATED_SCOPES,
    shared: true,
  });
  return {
    ...foyer,
    emulator,
    close: async () => {
      await foyer.close();
      await emulator.close();
    },
  };
}

/** A browser's cookies, enough for Foyer's flows (host-only, path-prefix matching). */
export class CookieJar {
  private cookies = new Map<string, { value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith("path="))
          ?.slice(5) ?? "/";
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  header(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([n, c]) => `${n}=${c.value}`)
      .join("; ");
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** Every cookie held, by name. */
  all(): Map<string, string> {
    return new Map([...this.cookies].map(([n, c]) => [n, c.value]));
  }

  set(name: string, value: string, path = "/"): void {
    this.cookies.set(name, { value, path });
  }
}

/** A request from "the browser": cookies attached and stored. */
export async function browserRequest(
  foyer: TestFoyer,
  jar: CookieJar,
  url: string,
  init: RequestInit & { json?: unknown } = {},
) {
  const full = url.startsWith("http") ? url : `${foyer.svc.config.publicUrl}${url}`;
  const headers = new Headers(init.headers);
  const cookie = jar.header(full);
  if (cookie) headers.set("cookie", cookie);
  const res = await foyer.request(full, { ...init, headers });
  jar.store(res);
  return res;
}

export interface FlowResult {
  /** The authorize URL Foyer sent the browser to. */
  authorizeUrl: string;
  /** Atlassian's redirect back to Foyer (carries code/state or error). */
  callbackUrl: string;
  /** Foyer's answer to the callback. */
  callback: Response;
  /** Where Foyer sent the browser after the callback. */
  location: string | null;
}

/** Starts a sign-in through the JSON Frontend API and lets Atlassian answer with `consent`. */
export async function startSignIn(
  foyer: EmulatedFoyer,
  jar: CookieJar,
  instanceId: string,
  opts: { redirectUrl?: string } = {},
): Promise<string> {
  const res = await browserRequest(foyer, jar, `/fapi/${instanceId}/v1/client/sign_ins`, {
    method: "POST",
    json: { strategy: "oauth_atlassian", ...(opts.redirectUrl ? { redirect_url: opts.redirectUrl } : {}) },
  });
  if (res.status !== 200) throw new Error(`sign-in start failed: ${res.status} ${await res.text()}`);
  const body = await res.json();
  return body.response.first_factor_verification.external_verification_redirect_url as string;
}

/** Follows an authorize URL at the emulator with a queued answer; returns the callback URL. */
export async function consentAt(
  foyer: EmulatedFoyer,
  authorizeUrl: string,
  consent: ConsentAnswer,
): Promise<string> {
  foyer.emulator.control.queueConsent(consent);
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location)
    throw new Error(`emulator did not redirect: ${res.status} ${await res.text()}`);
  return location;
}

export async function signInFlow(
  foyer: EmulatedFoyer,
  jar: CookieJar,
  instanceId: string,
  consent: ConsentAnswer,
  opts: { redirectUrl?: string } = {},
): Promise<FlowResult> {
  const authorizeUrl = await startSignIn(foyer, jar, instanceId, opts);
  const callbackUrl = await consentAt(foyer, authorizeUrl, consent);
  const callback = await browserRequest(foyer, jar, callbackUrl);
  return { authorizeUrl, callbackUrl, callback, location: callback.headers.get("location") };
}
