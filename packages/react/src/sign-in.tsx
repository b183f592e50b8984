/** @jsxImportSource react */
import { FoyerError } from "@foyer/js";
import { useId, useState } from "react";
import { currentUrlWithoutError, errorWords } from "./error-words.js";
import { useFoyerContext } from "./hooks.js";

export interface SignInProps {
  /** The app's name, shown as "to continue to {appName}". */
  appName?: string;
  /** Where to land after signing in (default: this page, without `foyer_error`). */
  redirectUrl?: string;
  /** Show this error code instead of reading `foyer_error` from the page's URL. */
  error?: string;
}

/**
 * An embeddable sign-in card: "Continue with Atlassian", and in words why the last attempt did
 * not finish (the `foyer_error` code Foyer sends the browser back with: cancelled, no site, …).
 * Renders nothing once signed in.
 */
export function SignIn({ appName, redirectUrl, error }: SignInProps) {
  const { foyer, loaded, session, error: loadError, redirectError } = useFoyerContext();
  const titleId = useId();
  const [starting, setStarting] = useState(false);
  if (loaded && session) return null;

  // The code @foyer/js read from `?foyer_error=` (and took off the address bar).
  const shown = error ?? redirectError?.code ?? null;
  const words = shown
    ? errorWords(shown)
    : loadError
      ? errorWords(loadError instanceof FoyerError ? loadError.code : "network_error", loadError.message)
      : null;
  const start = () => {
    if (!foyer) return;
    setStarting(true);
    const to = redirectUrl ?? currentUrlWithoutError();
    foyer.signIn.atlassian(to ? { redirectUrl: to } : {}).catch(() => setStarting(false));
  };

  return (
    <section className="foyer-card foyer-sign-in" aria-labelledby={titleId}>
      <h2 className="foyer-card__title" id={titleId}>
        Sign in
      </h2>
      {appName ? <p className="foyer-card__subtitle">to continue to {appName}</p> : null}
      {words ? (
        <div className="foyer-alert" role="alert">
          <p className="foyer-alert__title">{words.title}</p>
          <p className="foyer-alert__detail">{words.detail}</p>
          <p className="foyer-alert__code">Code: {words.code}</p>
        </div>
      ) : null}
      <button
        type="button"
        className="foyer-button foyer-button--atlassian"
        onClick={start}
        disabled={!foyer || !loaded || starting}
      >
        <span className="foyer-atlassian-mark" aria-hidden="true" />
        Continue with Atlassian
      </button>
    </section>
  );
}
