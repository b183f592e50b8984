/** @jsxImportSource react */
import type { OAuthConsent } from "@foyer/js";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ConfirmStep } from "./confirm-step.js";
import { useFoyerContext } from "./hooks.js";
import { FailureAlert, failureOf } from "./profile-accounts.js";

function approvedWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The resource's host for a label (the full URL stays in the title). */
function resourceHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The "Authorized apps" section of <UserProfile/>: the OAuth clients (apps, MCP clients, CLIs)
 * the user approved at the instance's authorization server, each with a Revoke that asks first.
 * Hidden until there is one, so an app that never uses the authorization server shows nothing.
 */
export function ProfileAuthorizedApps() {
  const { foyer, session } = useFoyerContext();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [consents, setConsents] = useState<OAuthConsent[] | null>(null);
  const [shown, setShown] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof failureOf> | null>(null);
  const sessionId = session?.id;

  const load = useCallback(async () => {
    const user = foyer?.user;
    if (!user) return;
    try {
      const list = await user.getOAuthConsents();
      setConsents(list);
      if (list.length > 0) setShown(true);
    } catch (err) {
      setFailure(failureOf(err));
      setShown(true);
    }
  }, [foyer]);
  useEffect(() => {
    if (sessionId) void load();
  }, [sessionId, load]);

  if (!shown) return null;
  const revoked = async (consent: OAuthConsent) => {
    setFailure(null);
    await consent.revoke();
    await load();
    // The item is gone: the focus goes to the section's heading, not to the page's top.
    heading.current?.focus();
  };

  return (
    <section className="foyer-user-profile__section" aria-labelledby={headingId}>
      <h3 className="foyer-user-profile__heading" id={headingId} ref={heading} tabIndex={-1}>
        Authorized apps
      </h3>
      <FailureAlert failure={failure} />
      {consents && consents.length === 0 ? (
        <p className="foyer-user-profile__muted">No app has access to your account.</p>
      ) : null}
      <ul className="foyer-user-profile__list" aria-labelledby={headingId}>
        {(consents ?? []).map((c) => (
          <AuthorizedApp key={c.client_id} consent={c} onRevoke={revoked} />
        ))}
      </ul>
    </section>
  );
}

function AuthorizedApp({
  consent,
  onRevoke,
}: {
  consent: OAuthConsent;
  onRevoke: (consent: OAuthConsent) => Promise<void>;
}) {
  const nameId = useId();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof failureOf> | null>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const name = consent.client_name;
  const cancel = () => {
    setConfirming(false);
    revokeButton.current?.focus();
  };
  const revoke = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onRevoke(consent);
    } catch (err) {
      setFailure(failureOf(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="foyer-user-profile__item" aria-labelledby={nameId} data-client-id={consent.client_id}>
      <h4 className="foyer-user-profile__item-title" id={nameId}>
        {name}
      </h4>
      {consent.client_host && consent.client_host !== name ? (
        <p className="foyer-user-profile__muted">{consent.client_host}</p>
      ) : null}
      <ul className="foyer-user-profile__scopes" aria-label={`What ${name} may do`}>
        {consent.scopes.map((scope) => (
          <li key={scope} className="foyer-scope">
            {scope}
          </li>
        ))}
        {Object.entries(consent.resources).flatMap(([resource, scopes]) =>
          scopes.map((scope) => (
            <li key={`${resource} ${scope}`} className="foyer-scope" title={resource}>
              {scope} ({resourceHost(resource)})
            </li>
          )),
        )}
      </ul>
      <p className="foyer-user-profile__muted">
        Approved{" "}
        <time dateTime={new Date(consent.created_at).toISOString()}>{approvedWhen(consent.created_at)}</time>
      </p>
      <FailureAlert failure={failure} />
      {confirming ? (
        <ConfirmStep
          question={`Revoke ${name}'s access?`}
          confirmLabel="Yes, revoke"
          busy={busy}
          onConfirm={() => void revoke()}
          onCancel={cancel}
        >
          It can no longer act for you: its tokens stop working, and it must ask you again.
        </ConfirmStep>
      ) : null}
      {/* Stays while asking, as Unlink does: Cancel and Escape put the focus back on it. */}
      <div className="foyer-user-profile__actions">
        <button
          type="button"
          className="foyer-button"
          ref={revokeButton}
          aria-label={`Revoke access of ${name}`}
          disabled={busy}
          onClick={() => {
            setFailure(null);
            setConfirming(true);
          }}
        >
          Revoke
        </button>
      </div>
    </li>
  );
}
