import type {
  ClientJSON,
  Foyer,
  FoyerError,
  OrganizationJSON,
  OrganizationMembershipJSON,
  Session,
  User,
} from "@foyer/js";
import { createContext } from "react";

/** What <FoyerProvider> shares with the hooks: the SDK and the state it last reported. */
export interface FoyerContextValue {
  /** The SDK, once the provider has mounted (null during server rendering and the first render). */
  foyer: Foyer | null;
  /** True once the first `GET <fapi>/v1/client` answered. */
  loaded: boolean;
  client: ClientJSON | null;
  session: Session | null;
  /** With the user-side calls of @foyer/js: `externalAccounts[].destroy()`, `getSessions()`, `reload()`. */
  user: User | null;
  /** The session's active organization (null: none, or the memberships are not read yet). */
  organization: OrganizationJSON | null;
  /** The user's organization memberships once read, else null. */
  organizationMemberships: OrganizationMembershipJSON[] | null;
  /** Why loading failed (Foyer unreachable, origin not allowed), else null. */
  error: FoyerError | Error | null;
  /** The `?foyer_error=` this page was opened with (a sign-in or connect that failed), else null. */
  redirectError: FoyerError | null;
}

export const EMPTY: FoyerContextValue = {
  foyer: null,
  loaded: false,
  client: null,
  session: null,
  user: null,
  organization: null,
  organizationMemberships: null,
  error: null,
  redirectError: null,
};

export const FoyerContext = createContext<FoyerContextValue | null>(null);
