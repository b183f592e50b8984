import { ApiError } from "../errors/api-error.js";
import type { Services } from "../services.js";
import { atlassianAccountsOf } from "./atlassian-accounts.js";

/**
 * The Atlassian account id behind one of this user's external accounts: the account a Reconnect,
 * Add another site or Grant more access button belongs to. Atlassian's authorize URL has no way
 * to choose the account (its consent uses whichever account the browser is signed in to
 * Atlassian with), so the connect records which one it was for and the callback compares.
 * Undefined when the user has no such account (never another user's).
 */
export async function atlassianAccountIdOf(
  svc: Services,
  instanceId: string,
  userId: string,
  externalAccountId: string,
): Promise<string | undefined> {
  const accounts = await atlassianAccountsOf(svc, instanceId, [userId]);
  return accounts.find((a) => a.row.id === externalAccountId)?.row.provider_user_id;
}

/** As {@link atlassianAccountIdOf}, refusing an id that is not one of the user's accounts. */
export async function requireOwnExternalAccount(
  svc: Services,
  instanceId: string,
  userId: string,
  externalAccountId: string,
): Promise<void> {
  if (!(await atlassianAccountIdOf(svc, instanceId, userId, externalAccountId))) {
    throw new ApiError("resource_not_found", {
      longMessage: "You have no external account with that id.",
      meta: { param_name: "external_account_id" },
    });
  }
}
