import { useAtlassianAccounts, useFoyer } from "@foyer/react";
import { useState } from "react";

/**
 * Connect Atlassian again, or with more scopes: @foyer/js asks Foyer for Atlassian's consent URL
 * and goes there; after consent Foyer sends the browser back here. `additionalScopes` holds what
 * the grant has already plus what is asked for, so a Reconnect keeps every scope granted.
 */
export function useConnectAtlassian() {
  const foyer = useFoyer();
  const { accounts } = useAtlassianAccounts();
  const [error, setError] = useState<string | null>(null);
  const granted = accounts.flatMap((a) => a.scopes);
  const connect = async (more: string[] = []) => {
    setError(null);
    try {
      await foyer?.connect.atlassian({
        additionalScopes: [...new Set([...granted, ...more])],
        redirectUrl: `${location.origin}/`,
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return { connect, error };
}
