import type { Logger } from "../log.js";

type OidcProviderModule = typeof import("oidc-provider");

/**
 * oidc-provider 9, imported once per process. Its author tests it on Node 22+ only, and on an
 * older LTS its index prints `oidc-provider WARNING: Unsupported runtime…` with console.warn when
 * the module is evaluated. On Node 20.20 nothing it uses is missing (URL.parse since 20.18,
 * crypto.hash since 20.12; koa 3 and jose 6 support Node 18+) and Foyer's whole suite runs it
 * there, so that line is replaced by one of Foyer's own (docs/authorization-server.md). The
 * console is only intercepted while the import is under way, and only that line is held back.
 */
let loading: Promise<OidcProviderModule> | undefined;

export const RUNTIME_NOTE =
  "oidc-provider 9 is tested by its author on Node 22+; Foyer tests it on Node 20 too (docs/authorization-server.md)";

export function loadOidcProvider(log: Logger): Promise<OidcProviderModule> {
  loading ??= importQuietly(log);
  return loading;
}

async function importQuietly(log: Logger): Promise<OidcProviderModule> {
  const original = console.warn;
  let heldBack = false;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("oidc-provider WARNING: Unsupported runtime")) {
      heldBack = true;
      return;
    }
    original.apply(console, args);
  };
  try {
    return await import("oidc-provider");
  } catch (err) {
    loading = undefined;
    throw err;
  } finally {
    console.warn = original;
    if (heldBack) log.info({ node: process.version }, RUNTIME_NOTE);
  }
}
