import type { ExternalAccountJSON, UserJSON } from "@foyer/js";
import { describe, expect, it } from "vitest";
import { atlassianAccountsOf, hasAtlassianScopes } from "./atlassian-accounts.js";

/** A user JSON in the Frontend API's shape (the contract's types check every field). */
function account(over: Partial<ExternalAccountJSON>): ExternalAccountJSON {
  return {
    object: "external_account",
    id: "eac_1",
    provider: "oauth_atlassian",
    identification_id: "idn_1",
    provider_user_id: "557058:ada",
    approved_scopes: "read:me read:jira-user read:jira-work offline_access",
    email_address: "ada@example.com",
    first_name: "Ada",
    last_name: "Lovelace",
    image_url: "",
    username: null,
    label: "Acme",
    public_metadata: {},
    verification: { status: "verified", strategy: "oauth_atlassian", attempts: null, expire_at: null },
    status: "active",
    sites: [
      {
        id: "cloud-acme",
        url: "https://acme.atlassian.net",
        name: "Acme",
        scopes: ["read:jira-user", "read:jira-work"],
        avatar_url: null,
        status: "accessible",
        lost_at: null,
      },
      {
        id: "cloud-old",
        url: "https://old.atlassian.net",
        name: "Old",
        scopes: ["read:jira-user", "write:jira-work"],
        avatar_url: null,
        status: "lost",
        lost_at: 1,
      },
    ],
    last_added_site_id: "cloud-acme",
    access_token_expires_at: null,
    reauthorization_reason: null,
    last_refreshed_at: null,
    last_refresh_error: null,
    created_at: 1,
    updated_at: 1,
    ...over,
  };
}

const user = (accounts: ExternalAccountJSON[]) => ({ external_accounts: accounts }) as unknown as UserJSON;

describe("useAtlassianAccounts' reading of the user JSON", () => {
  it("maps accounts with their status, scopes and per-site scopes", () => {
    const [a] = atlassianAccountsOf(user([account({})]));
    expect(a).toMatchObject({
      id: "eac_1",
      atlassianAccountId: "557058:ada",
      name: "Ada Lovelace",
      status: "active",
      scopes: ["read:me", "read:jira-user", "read:jira-work", "offline_access"],
    });
    expect(a!.sites.map((s) => [s.id, s.status, s.scopes])).toEqual([
      ["cloud-acme", "accessible", ["read:jira-user", "read:jira-work"]],
      ["cloud-old", "lost", ["read:jira-user", "write:jira-work"]],
    ]);
    expect(atlassianAccountsOf(null)).toEqual([]);
  });

  it("grants scopes only on an accessible site of an active grant, by cloud id or URL", () => {
    const accounts = atlassianAccountsOf(user([account({})]));
    expect(hasAtlassianScopes(accounts, ["read:jira-work"])).toBe(true);
    expect(hasAtlassianScopes(accounts, ["read:jira-work"], "cloud-acme")).toBe(true);
    expect(hasAtlassianScopes(accounts, ["read:jira-work"], "https://acme.atlassian.net/")).toBe(true);
    // Held on the lost site only: not usable.
    expect(hasAtlassianScopes(accounts, ["write:jira-work"])).toBe(false);
    expect(hasAtlassianScopes(accounts, ["read:jira-user"], "cloud-old")).toBe(false);
    expect(hasAtlassianScopes(accounts, ["read:jira-work"], "cloud-elsewhere")).toBe(false);
    const revoked = atlassianAccountsOf(
      user([account({ status: "reauthorization_required", reauthorization_reason: "revoked" })]),
    );
    expect(hasAtlassianScopes(revoked, ["read:jira-work"])).toBe(false);
  });
});
