/** @jsxImportSource react */
import type { UserSession } from "@foyer/js";
import { useCallback, useEffect, useId, useState } from "react";
import { useFoyerContext } from "./hooks.js";
import { FailureAlert, failureOf } from "./profile-accounts.js";

/** "Chrome 131 on macOS", from the summary of the User-Agent the session signed in with. */
export function deviceWords(s: UserSession): string {
  const a = s.latest_activity;
  const browser = [a.browser_name, a.browser_version].filter(Boolean).join(" ") || "A browser";
  const os = a.device_type ? ` on ${a.device_type}` : "";
  return `${browser}${os}${a.is_mobile ? " (mobile)" : ""}`;
}

function lastActive(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The active sessions of <UserProfile/>: every device, this one marked, the others can be signed out. */
export function ProfileSessions() {
  const { foyer, session } = useFoyerContext();
  const headingId = useId();
  const [sessions, setSessions] = useState<UserSession[] | null>(null);
  const [failure, setFailure] = useState<ReturnType<typeof failureOf> | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const sessionId = session?.id;
  // An unlink ends the user's other sessions: read the list again when the accounts change.
  const accounts = session?.user?.external_accounts.map((a) => a.id).join(" ");

  const load = useCallback(async () => {
    // The SDK's user at call time: the context's object is replaced at every change it reports.
    const user = foyer?.user;
    if (!user) return;
    try {
      setSessions(await user.getSessions());
    } catch (err) {
      setFailure(failureOf(err));
    }
  }, [foyer]);
  useEffect(() => {
    if (sessionId && accounts !== undefined) void load();
  }, [sessionId, accounts, load]);

  const signOut = async (s: UserSession) => {
    setBusy(s.id);
    setFailure(null);
    try {
      await s.revoke();
      await load();
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section
      className="foyer-user-profile__section"
      aria-labelledby={headingId}
      aria-busy={sessions === null}
    >
      <h3 className="foyer-user-profile__heading" id={headingId}>
        Active sessions
      </h3>
      <FailureAlert failure={failure} />
      {sessions === null && !failure ? <p className="foyer-user-profile__muted">Loading sessions…</p> : null}
      <ul className="foyer-user-profile__list" aria-labelledby={headingId}>
        {(sessions ?? []).map((s) => {
          const device = deviceWords(s);
          return (
            <li key={s.id} className="foyer-user-profile__item" data-session-id={s.id}>
              <p className="foyer-user-profile__item-title">
                {device}
                {s.current ? (
                  <>
                    {" "}
                    <span className="foyer-badge">This device</span>
                  </>
                ) : null}
              </p>
              <p className="foyer-user-profile__muted">
                Last active{" "}
                <time dateTime={new Date(s.last_active_at).toISOString()}>
                  {lastActive(s.last_active_at)}
                </time>
              </p>
              {s.current ? null : (
                <div className="foyer-user-profile__actions">
                  <button
                    type="button"
                    className="foyer-button"
                    aria-label={`Sign out of ${device}, last active ${lastActive(s.last_active_at)}`}
                    disabled={busy !== null}
                    onClick={() => void signOut(s)}
                  >
                    Sign out
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
