/** @jsxImportSource react */
import type { SignInOptions } from "@foyer/js";
import { type ReactNode, useEffect, useRef } from "react";
import { hasAtlassianScopes, useAtlassianAccounts } from "./atlassian-accounts.js";
import { currentUrlWithoutError } from "./error-words.js";
import { useFoyerContext } from "./hooks.js";

/** Renders its children only once loaded and signed in. */
export function SignedIn({ children }: { children?: ReactNode }) {
  const { loaded, session } = useFoyerContext();
  return loaded && session ? <>{children}</> : null;
}

/** Renders its children only once loaded and signed out. */
export function SignedOut({ children }: { children?: ReactNode }) {
  const { loaded, session } = useFoyerContext();
  return loaded && !session ? <>{children}</> : null;
}

export interface ProtectProps {
  /** Atlassian scopes the user's grant must hold (on `site` when given, else on any site). */
  scopes?: readonly string[];
  /** The site the scopes are needed on: its cloud id or its URL (`https://acme.atlassian.net`). */
  site?: string;
  /** Rendered instead when signed out or the scopes are missing (nothing while loading). */
  fallback?: ReactNode;
  children?: ReactNode;
}

/**
 * Renders its children for a signed-in user, optionally only when an active Atlassian grant holds
 * `scopes` on a site; otherwise `fallback`. Hiding UI is not authorization: the app's server
 * must check the session token (and Atlassian will refuse a call the grant does not cover).
 */
export function Protect({ scopes, site, fallback = null, children }: ProtectProps) {
  const { loaded, session } = useFoyerContext();
  const { accounts } = useAtlassianAccounts();
  if (!loaded) return null;
  const allowed =
    session !== null &&
    (scopes === undefined && site === undefined ? true : hasAtlassianScopes(accounts, scopes ?? [], site));
  return <>{allowed ? children : fallback}</>;
}

/** Once loaded and signed out, goes to sign in with Atlassian (and back to `redirectUrl`, default this page). */
export function RedirectToSignIn(props: SignInOptions) {
  const { foyer, loaded, session } = useFoyerContext();
  const started = useRef(false);
  const { redirectUrl, mode } = props;
  useEffect(() => {
    if (!foyer || !loaded || session || started.current) return;
    started.current = true;
    const to = redirectUrl ?? currentUrlWithoutError();
    void foyer.signIn.atlassian({ ...(to ? { redirectUrl: to } : {}), ...(mode ? { mode } : {}) });
  }, [foyer, loaded, session, redirectUrl, mode]);
  return null;
}
