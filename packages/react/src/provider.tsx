/** @jsxImportSource react */
import { Foyer, type FoyerError, type FoyerOptions } from "@foyer/js";
import { type ReactNode, useEffect, useState } from "react";
import { EMPTY, FoyerContext, type FoyerContextValue } from "./context.js";

export interface FoyerProviderProps {
  /** The instance's publishable key (`pk_test_…` / `pk_live_…`); it carries the Frontend API URL. */
  publishableKey: string;
  /** Passed to `new Foyer(publishableKey, options)` (session cookie, refresh leeway, fetch). */
  options?: FoyerOptions;
  children?: ReactNode;
}

/**
 * Loads Foyer for everything below it: makes one `Foyer` per publishable key, loads the browser's
 * client and re-renders the hooks whenever the SDK reports a change (sign-in, sign-out, a session
 * ended elsewhere, noticed at the next token mint or when the tab is shown again). The SDK is
 * made in an effect, so server rendering and React's strict-mode double mount never leave a
 * second SDK's timers and channel running.
 */
export function FoyerProvider({ publishableKey, options, children }: FoyerProviderProps) {
  const [value, setValue] = useState<FoyerContextValue>(EMPTY);
  // The options are read when the key changes, not on every render (an inline object is new each time).
  const [initialOptions] = useState(options);

  useEffect(() => {
    let foyer: Foyer;
    try {
      foyer = new Foyer(publishableKey, initialOptions);
    } catch (err) {
      setValue({ ...EMPTY, error: err as Error });
      return;
    }
    let live = true;
    setValue({ ...EMPTY, foyer });
    // The SDK takes `?foyer_error=` off the address at its first load; a later load (the tab
    // shown again) finds none, so the first one is kept for <SignIn/>.
    let redirectError: FoyerError | null | undefined;
    const stop = foyer.addListener((state) => {
      redirectError ??= foyer.redirectError;
      if (live) setValue({ foyer, loaded: true, ...state, error: null, redirectError });
    });
    foyer.load().catch((err: Error) => {
      if (!live) return;
      if (!foyer.loaded) console.error(`Foyer: ${err.message}`);
      setValue((v) => ({ ...v, foyer, error: err }));
    });
    // Back on the tab: read the client again, so a sign-out or sign-in in another tab, or a
    // session revoked meanwhile, shows now rather than at the next token mint (up to a minute).
    const onVisible = () => {
      if (live && foyer.loaded && document.visibilityState === "visible") foyer.load().catch(() => {});
    };
    if (typeof document !== "undefined") document.addEventListener("visibilitychange", onVisible);
    return () => {
      live = false;
      if (typeof document !== "undefined") document.removeEventListener("visibilitychange", onVisible);
      stop();
      foyer.destroy();
    };
  }, [publishableKey, initialOptions]);

  return <FoyerContext.Provider value={value}>{children}</FoyerContext.Provider>;
}
