import { useAuth, useOrganization } from "@foyer/react";
import { useCallback, useEffect, useState } from "react";
import type { AtlassianView } from "../src/atlassian.js";

export type ViewState =
  | { kind: "loading" }
  | { kind: "view"; view: AtlassianView }
  /** The app's server answered with an error, or could not be reached. */
  | { kind: "failed"; message: string };

/**
 * GET /api/atlassian with a fresh session token: the app's server verifies it, reads the user's
 * Atlassian grant from Foyer and calls Jira and Confluence. Read again when the active
 * organization changes: the new token's `o.cloud_id` tells the server which site to show.
 */
export function useAtlassianView(): { state: ViewState; reload: () => void } {
  const { getToken } = useAuth();
  const { isLoaded, organization } = useOrganization();
  const organizationId = organization?.id ?? null;
  const [state, setState] = useState<ViewState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: organizationId and attempt are why it reads again.
  useEffect(() => {
    // Until the memberships are read the active organization is unknown: one request, not two.
    if (!isLoaded) return;
    let live = true;
    setState({ kind: "loading" });
    void (async () => {
      const token = await getToken();
      // Signed out meanwhile: <SignedIn> is about to unmount this.
      if (!token) return;
      const res = await fetch("/api/atlassian", { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`The app's server answered HTTP ${res.status}.`);
      const view = (await res.json()) as AtlassianView;
      if (live) setState({ kind: "view", view });
    })().catch((err: unknown) => {
      if (live) setState({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
    });
    return () => {
      live = false;
    };
  }, [getToken, isLoaded, organizationId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
