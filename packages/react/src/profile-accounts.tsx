/** @jsxImportSource react */
import type { ReauthorizationReason } from "@foyer/contract";
import { FoyerError } from "@foyer/js";
import { useId, useRef, useState } from "react";
import { type AtlassianAccount, useAtlassianAccounts } from "./atlassian-accounts.js";
import { ConfirmStep } from "./confirm-step.js";
import { currentUrlWithoutError } from "./error-words.js";
import { useFoyerContext } from "./hooks.js";

/** Why a grant needs the user again, in their words (the codes of ExternalAccountJSON). */
const REASONS: Record<ReauthorizationReason, string> = {
  revoked:
    "Atlassian no longer accepts this connection: access was revoked at Atlassian, or the password changed.",
  idle_expired: "This connection went unused for 90 days, so Atlassian ended it.",
  refresh_lost: "Foyer could not renew this connection with Atlassian.",
};

export function reauthorizationWords(reason: ReauthorizationReason | null): string {
  return reason ? REASONS[reason] : "Atlassian no longer accepts this connection.";
}

/** A failed call's words and code, for an alert. */
interface Failure {
  message: string;
  code: string;
}
export function failureOf(err: unknown): Failure {
  if (err instanceof FoyerError) return { message: err.message, code: err.code };
  return { message: err instanceof Error ? err.message : String(err), code: "network_error" };
}

export function FailureAlert({ failure }: { failure: Failure | null }) {
  if (!failure) return null;
  return (
    <div className="foyer-alert" role="alert">
      <p className="foyer-alert__detail">{failure.message}</p>
      <p className="foyer-alert__code">Code: {failure.code}</p>
    </div>
  );
}

interface ProfileAccountsProps {
  grantScopes: string[];
  redirectUrl: string | undefined;
}

/** The connected Atlassian accounts of <UserProfile/>, each with its sites, scopes and actions. */
export function ProfileAccounts({ grantScopes, redirectUrl }: ProfileAccountsProps) {
  const { accounts } = useAtlassianAccounts();
  const headingId = useId();
  return (
    <section className="foyer-user-profile__section" aria-labelledby={headingId}>
      <h3 className="foyer-user-profile__heading" id={headingId}>
        Connected Atlassian accounts
      </h3>
      {accounts.length === 0 ? (
        <p className="foyer-user-profile__muted">No Atlassian account connected.</p>
      ) : null}
      <ul className="foyer-user-profile__list" aria-labelledby={headingId}>
        {accounts.map((account) => (
          <AccountItem
            key={account.id}
            account={account}
            grantScopes={grantScopes}
            redirectUrl={redirectUrl}
          />
        ))}
      </ul>
    </section>
  );
}

function AccountItem({
  account,
  grantScopes,
  redirectUrl,
}: {
  account: AtlassianAccount;
  grantScopes: string[];
  redirectUrl: string | undefined;
}) {
  const { foyer } = useFoyerContext();
  const nameId = useId();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const unlinkButton = useRef<HTMLButtonElement>(null);

  const label = account.name || account.email || account.atlassianAccountId;
  const active = account.status === "active";
  const lacking = grantScopes.filter((scope) =>
    account.sites.some((s) => s.status === "accessible" && !s.scopes.includes(scope)),
  );

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setBusy(false);
    }
  };
  // Reconnect, another site and more scopes are all a connect: Atlassian's consent, then back here.
  // Reconnect and Grant more access are for this account (`forThisAccount`): another account
  // coming back is refused (external_account_mismatch). Add another site stays open to any
  // account: it is also how a second Atlassian account gets linked.
  const connect = (opts: { additionalScopes?: string[]; forThisAccount?: boolean } = {}) =>
    run(async () => {
      if (!foyer) return;
      const to = redirectUrl ?? currentUrlWithoutError();
      await foyer.connect.atlassian({
        ...(to ? { redirectUrl: to } : {}),
        ...(opts.additionalScopes ? { additionalScopes: opts.additionalScopes } : {}),
        ...(opts.forThisAccount ? { externalAccountId: account.id } : {}),
      });
    });
  const unlink = () =>
    run(async () => {
      setConfirming(false);
      // The refusal is announced by the alert (role="alert"); the focus stays where it was.
      await foyer?.user?.externalAccounts.find((a) => a.id === account.id)?.destroy();
    });
  const cancel = () => {
    setConfirming(false);
    unlinkButton.current?.focus();
  };

  return (
    <li className="foyer-user-profile__item" aria-labelledby={nameId}>
      <h4 className="foyer-user-profile__item-title" id={nameId}>
        {label}
      </h4>
      {account.email && account.email !== label ? (
        <p className="foyer-user-profile__muted">{account.email}</p>
      ) : null}
      <p
        className={`foyer-status foyer-status--${active ? "active" : "attention"}`}
        data-status={account.status}
      >
        {active ? "Active" : "Needs reconnecting"}
      </p>
      {active ? null : (
        <p className="foyer-user-profile__reason">{reauthorizationWords(account.reauthorizationReason)}</p>
      )}
      <ul className="foyer-user-profile__sites" aria-label={`Sites of ${label}`}>
        {account.sites.map((site) => (
          <li key={site.id} className="foyer-user-profile__site">
            <p className="foyer-user-profile__site-name">
              {site.name}
              {site.status === "lost" ? (
                <span className="foyer-user-profile__muted"> (no longer accessible)</span>
              ) : null}
            </p>
            <p className="foyer-user-profile__muted">{site.url}</p>
            <ul className="foyer-user-profile__scopes" aria-label={`Scopes on ${site.name}`}>
              {site.scopes.map((scope) => (
                <li key={scope} className="foyer-scope">
                  {scope}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <FailureAlert failure={failure} />
      {confirming ? (
        <ConfirmStep
          question={`Unlink ${label}?`}
          confirmLabel="Yes, unlink"
          busy={busy}
          onConfirm={unlink}
          onCancel={cancel}
        >
          This app will no longer reach Atlassian with it, and your other sessions are signed out.
        </ConfirmStep>
      ) : null}
      <fieldset className="foyer-user-profile__actions" aria-label={`Actions for ${label}`}>
        {active ? null : (
          <button
            type="button"
            className="foyer-button foyer-button--primary"
            disabled={busy}
            onClick={() => connect({ forThisAccount: true })}
          >
            Reconnect
          </button>
        )}
        {active ? (
          <button type="button" className="foyer-button" disabled={busy} onClick={() => connect()}>
            Add another site
          </button>
        ) : null}
        {active && lacking.length > 0 ? (
          <button
            type="button"
            className="foyer-button"
            disabled={busy}
            title={`Asks Atlassian for ${lacking.join(", ")}`}
            onClick={() => connect({ additionalScopes: grantScopes, forThisAccount: true })}
          >
            Grant more access
          </button>
        ) : null}
        <button
          type="button"
          className="foyer-button"
          ref={unlinkButton}
          disabled={busy}
          onClick={() => {
            setFailure(null);
            setConfirming(true);
          }}
        >
          Unlink
        </button>
      </fieldset>
    </li>
  );
}
