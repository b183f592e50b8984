import type { Requester } from "./request.js";
import type { User } from "./types.js";

const id = (value: string) => encodeURIComponent(value);

/**
 * Clerk's ban and lock (`POST /v1/users/{id}/ban` …). Banning or locking ends every session of
 * the user at once; until lifted, Foyer refuses their sign-in (`user_banned` / `user_locked`),
 * mints them no session token and gives the app no Atlassian token for them (403).
 */
export function userRestrictionsApi(request: Requester) {
  return {
    /** Bans the user: sessions revoked, sign-in refused until {@link unbanUser}. Answers the user (`banned: true`). */
    banUser: (userId: string) => request<User>("POST", `/users/${id(userId)}/ban`),
    /** Lifts a ban; the user may sign in again. */
    unbanUser: (userId: string) => request<User>("POST", `/users/${id(userId)}/unban`),
    /** Locks the user: like a ban, meant to be temporary. Answers the user (`locked: true`). */
    lockUser: (userId: string) => request<User>("POST", `/users/${id(userId)}/lock`),
    /** Lifts a lock. */
    unlockUser: (userId: string) => request<User>("POST", `/users/${id(userId)}/unlock`),
  };
}
