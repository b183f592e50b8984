import type { Foyer, FoyerError, Session, User } from "@foyer/js";
import { useCallback, useContext } from "react";
import { FoyerContext, type FoyerContextValue } from "./context.js";

/** The provider's state; throws a plain sentence when a hook is used outside <FoyerProvider>. */
export function useFoyerContext(): FoyerContextValue {
  const value = useContext(FoyerContext);
  if (!value) throw new Error("Foyer: this hook or component must be inside <FoyerProvider>.");
  return value;
}

/**
 * The `Foyer` SDK of the provider (`signIn.atlassian()`, `connect.atlassian()`, `signOut()`), or
 * null before the provider has mounted (server rendering, the first render).
 */
export function useFoyer(): Foyer | null {
  return useFoyerContext().foyer;
}

/** What `useAuth()` answers. While loading, `isSignedIn`, `userId` and `sessionId` are undefined. */
export type UseAuthReturn =
  | {
      isLoaded: false;
      isSignedIn: undefined;
      userId: undefined;
      sessionId: undefined;
      getToken: GetToken;
      signOut: SignOut;
    }
  | { isLoaded: true; isSignedIn: false; userId: null; sessionId: null; getToken: GetToken; signOut: SignOut }
  | {
      isLoaded: true;
      isSignedIn: true;
      userId: string;
      sessionId: string;
      getToken: GetToken;
      signOut: SignOut;
    };

/** A fresh session token for `Authorization: Bearer`, or null when signed out. */
export type GetToken = (options?: { skipCache?: boolean }) => Promise<string | null>;
export type SignOut = (options?: { sessionId?: string }) => Promise<void>;

/** Who is signed in, and a fresh session token to send to the app's server (Clerk's useAuth). */
export function useAuth(): UseAuthReturn {
  const { foyer, loaded, session } = useFoyerContext();
  // Reads the SDK's session at call time: a token asked for after a sign-out answers null.
  const getToken = useCallback<GetToken>(
    async (options) => (foyer?.session ? foyer.session.getToken(options) : null),
    [foyer],
  );
  const signOut = useCallback<SignOut>(async (options) => foyer?.signOut(options), [foyer]);
  if (!loaded) {
    return {
      isLoaded: false,
      isSignedIn: undefined,
      userId: undefined,
      sessionId: undefined,
      getToken,
      signOut,
    };
  }
  if (!session?.user)
    return { isLoaded: true, isSignedIn: false, userId: null, sessionId: null, getToken, signOut };
  return {
    isLoaded: true,
    isSignedIn: true,
    userId: session.user.id,
    sessionId: session.id,
    getToken,
    signOut,
  };
}

export type UseUserReturn =
  | { isLoaded: false; isSignedIn: undefined; user: undefined }
  | { isLoaded: true; isSignedIn: false; user: null }
  | { isLoaded: true; isSignedIn: true; user: User };

/**
 * The signed-in user: the Frontend API's JSON (names, email addresses, Atlassian accounts) with
 * @foyer/js's user-side calls (`getSessions()`, `externalAccounts[].destroy()`, `reload()`).
 */
export function useUser(): UseUserReturn {
  const { loaded, user } = useFoyerContext();
  if (!loaded) return { isLoaded: false, isSignedIn: undefined, user: undefined };
  return user
    ? { isLoaded: true, isSignedIn: true, user }
    : { isLoaded: true, isSignedIn: false, user: null };
}

export type UseSessionReturn =
  | { isLoaded: false; isSignedIn: undefined; session: undefined }
  | { isLoaded: true; isSignedIn: false; session: null }
  | { isLoaded: true; isSignedIn: true; session: Session };

/** This browser's active session (with `getToken()`). */
export function useSession(): UseSessionReturn {
  const { loaded, session } = useFoyerContext();
  if (!loaded) return { isLoaded: false, isSignedIn: undefined, session: undefined };
  return session
    ? { isLoaded: true, isSignedIn: true, session }
    : { isLoaded: true, isSignedIn: false, session: null };
}

/**
 * Why the redirect that brought the browser to this page did not finish: the `?foyer_error=`
 * code Foyer sent it back with (a cancelled consent, no Atlassian site, an expired attempt), read
 * by @foyer/js at the first load and taken off the address bar; null when there was none. For a
 * signed-in page's own words after a Reconnect or more scopes; `errorWords(code)` has general ones.
 */
export function useRedirectError(): FoyerError | null {
  return useFoyerContext().redirectError;
}
