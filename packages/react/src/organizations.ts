import type { OrganizationJSON, OrganizationMembershipJSON } from "@foyer/js";
import { useCallback, useEffect } from "react";
import { useFoyerContext } from "./hooks.js";

export type UseOrganizationReturn =
  | { isLoaded: false; organization: undefined; membership: undefined }
  | { isLoaded: true; organization: OrganizationJSON | null; membership: OrganizationMembershipJSON | null };

/**
 * The session's active organization (Clerk's useOrganization) and the user's membership of it
 * (role, permissions); null when none is active. Not loaded until the memberships are read.
 */
export function useOrganization(): UseOrganizationReturn {
  const { loaded, session, organization, organizationMemberships } = useFoyerContext();
  const pending = Boolean(session?.last_active_organization_id) && organizationMemberships === null;
  if (!loaded || pending) return { isLoaded: false, organization: undefined, membership: undefined };
  const membership = organizationMemberships?.find((m) => m.organization.id === organization?.id) ?? null;
  return { isLoaded: true, organization, membership };
}

/** `setActive({ organization })` of @foyer/js: an `org_…` id, or null for none. */
export type SetActive = (params: { organization: string | null }) => Promise<void>;

export type UseOrganizationListReturn =
  | { isLoaded: false; userMemberships: { data: undefined }; setActive: SetActive }
  | { isLoaded: true; userMemberships: { data: OrganizationMembershipJSON[] }; setActive: SetActive };

/**
 * The signed-in user's organizations (for a site organization, one per Atlassian site their grant
 * covers) and `setActive` to switch the session's active one. Reads the memberships on first use.
 */
export function useOrganizationList(): UseOrganizationListReturn {
  const { foyer, loaded, user, organizationMemberships } = useFoyerContext();
  useEffect(() => {
    if (user && organizationMemberships === null) user.getOrganizationMemberships().catch(() => {});
  }, [user, organizationMemberships]);
  const setActive = useCallback<SetActive>(
    async (params) => {
      if (!foyer) throw new Error("Foyer: not loaded yet.");
      await foyer.setActive(params);
    },
    [foyer],
  );
  if (!loaded || (user && organizationMemberships === null)) {
    return { isLoaded: false, userMemberships: { data: undefined }, setActive };
  }
  return { isLoaded: true, userMemberships: { data: organizationMemberships ?? [] }, setActive };
}
