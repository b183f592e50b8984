import { describe, expect, it } from "vitest";
import type { ExternalAccountTable } from "../db/schema.js";
import { externalAccountFromRow } from "./external-account.js";
import { externalAccountJson } from "./external-account-json.js";

const site = (id: string, name: string) => ({
  id,
  name,
  url: `https://${name}.atlassian.net`,
  scopes: ["read:jira-work"],
  avatar_url: `https://avatars.example/${id}.png`,
});

function row(over: Partial<ExternalAccountTable> = {}): ExternalAccountTable {
  return {
    id: "eac_1",
    instance_id: "ins_1",
    user_id: "user_1",
    provider: "oauth_atlassian",
    provider_user_id: "557058:abc",
    email_address: null,
    email_verified: 0,
    first_name: "Grace",
    last_name: "Hopper",
    username: null,
    image_url: null,
    profile: JSON.stringify({ nickname: "grace" }),
    approved_scopes: "read:me read:jira-work",
    sites: JSON.stringify([site("c1", "acme"), site("c2", "globex")]),
    last_added_site_id: null,
    status: "active",
    access_token_enc: "encrypted",
    access_token_expires_at: 1_000,
    refresh_token_enc: "encrypted",
    token_version: 1,
    refresh_lock_owner: null,
    refresh_lock_until: null,
    refresh_intent_at: null,
    last_refreshed_at: null,
    last_refresh_error: null,
    reauthorization_reason: null,
    refresh_failures: 0,
    created_at: 1,
    updated_at: 2,
    ...over,
  };
}

describe("externalAccountFromRow", () => {
  it("labels the account with the site the latest consent added, else the first site, else nothing", () => {
    expect(externalAccountFromRow(row({ last_added_site_id: "c2" })).label).toBe("globex");
    expect(externalAccountFromRow(row({ last_added_site_id: "gone" })).label).toBe("acme");
    expect(externalAccountFromRow(row()).label).toBe("acme");
    expect(externalAccountFromRow(row({ sites: "[]" })).label).toBeNull();
  });

  it("parses the sites and profile once, and falls back to Atlassian's nickname for the username", () => {
    const account = externalAccountFromRow(row());
    expect(account.sites.map((s) => s.id)).toEqual(["c1", "c2"]);
    expect(account.profile).toEqual({ nickname: "grace" });
    expect(account.username).toBe("grace");
    expect(externalAccountFromRow(row({ username: "gh" })).username).toBe("gh");
    expect(externalAccountFromRow(row({ profile: "{}" })).username).toBeNull();
  });

  it("serialises sites with avatar_url and never a token column", () => {
    const json = externalAccountJson(externalAccountFromRow(row()));
    expect(json.sites[0]).toEqual({ ...site("c1", "acme"), status: "accessible", lost_at: null });
    expect(JSON.stringify(json)).not.toContain("encrypted");
    expect(json).not.toHaveProperty("access_token_enc");
    expect(json).not.toHaveProperty("refresh_token_enc");
  });
});
