/** @jsxImportSource react */
import { useId } from "react";
import { Avatar, displayName, primaryEmail } from "./avatar.js";
import { errorWords } from "./error-words.js";
import { useFoyerContext } from "./hooks.js";
import { ProfileAccounts } from "./profile-accounts.js";
import { ProfileAuthorizedApps } from "./profile-authorized-apps.js";
import { ProfileSessions } from "./profile-sessions.js";

export interface UserProfileProps {
  /**
   * Scopes the app may ask for on top of the instance's own (e.g. `["read:jira-work"]`): an
   * account whose grant lacks one of them on a site gets a **Grant more access** button.
   */
  grantScopes?: string[];
  /** Where Reconnect, Add another site and Grant more access come back to (default: this page). */
  redirectUrl?: string;
  /** Show the user's Atlassian picture instead of initials (the CSP must allow its host). */
  showImage?: boolean;
}

/**
 * The signed-in user's account page: their profile, their connected Atlassian accounts (status,
 * sites and per-site scopes; Reconnect, Add another site, Grant more access, Unlink) and their
 * active sessions on every device (Sign out of another one), and the apps they authorized at the
 * instance's authorization server (Revoke; shown once there is one). Renders nothing when signed out.
 */
export function UserProfile({ grantScopes = [], redirectUrl, showImage = false }: UserProfileProps) {
  const { loaded, user, redirectError } = useFoyerContext();
  const titleId = useId();
  const profileId = useId();
  if (!loaded || !user) return null;
  const name = displayName(user);
  const email = primaryEmail(user);
  // A reconnect or grant that came back with ?foyer_error= (cancelled, re-verification, …).
  const back = redirectError ? errorWords(redirectError.code, redirectError.message) : null;

  return (
    <section className="foyer-card foyer-user-profile" aria-labelledby={titleId}>
      <h2 className="foyer-card__title" id={titleId}>
        Account
      </h2>
      {back ? (
        <div className="foyer-alert" role="alert">
          <p className="foyer-alert__title">{back.title}</p>
          <p className="foyer-alert__detail">{back.detail}</p>
          <p className="foyer-alert__code">Code: {back.code}</p>
        </div>
      ) : null}
      <section className="foyer-user-profile__section" aria-labelledby={profileId}>
        <h3 className="foyer-user-profile__heading" id={profileId}>
          Profile
        </h3>
        <div className="foyer-user-profile__identity">
          <Avatar user={user} showImage={showImage} />
          <dl className="foyer-user-profile__fields">
            <dt>Name</dt>
            <dd data-field="name">{name}</dd>
            {user.username ? (
              <>
                <dt>Username</dt>
                <dd data-field="username">{user.username}</dd>
              </>
            ) : null}
            {email ? (
              <>
                <dt>Email</dt>
                <dd data-field="email">{email}</dd>
              </>
            ) : null}
          </dl>
        </div>
      </section>
      <ProfileAccounts grantScopes={grantScopes} redirectUrl={redirectUrl} />
      <ProfileSessions />
      <ProfileAuthorizedApps />
    </section>
  );
}
