import type { EmulatorSeed } from "./types.js";

/** Fixed ids so a demo database survives emulator restarts. */
export const DEMO_IDS = {
  acme: "3f1c2a8e-6b7d-4e2f-9a51-0c8d7e6b5a41",
  globex: "9b2e4d6f-1a3c-4e5b-8d7f-2c4a6e8b0d13",
  ada: "557058:0f7a3c1e-2b4d-4a6f-8c9e-1d2b3c4d5e6f",
  grace: "557058:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
  alan: "557058:9c8b7a6d-5e4f-4d3c-8b2a-1f0e9d8c7b6a",
} as const;

/**
 * A couple of demo accounts and sites. No apps: Foyer seeds its own shared app with its own
 * callback URL. Alan has no site at all, for the "Access denied" case.
 */
export function demoSeed(): EmulatorSeed {
  return {
    sites: [
      {
        cloudId: DEMO_IDS.acme,
        name: "Acme",
        url: "https://acme-demo.atlassian.net",
        products: ["jira", "confluence"],
      },
      {
        cloudId: DEMO_IDS.globex,
        name: "Globex",
        url: "https://globex-demo.atlassian.net",
        products: ["jira"],
      },
    ],
    accounts: [
      {
        accountId: DEMO_IDS.ada,
        name: "Ada Lovelace",
        email: "ada@example.com",
        emailVerified: true,
        nickname: "ada",
        locale: "en-GB",
        zoneinfo: "Europe/London",
        accountStatus: "active",
        extendedProfile: { job_title: "Analyst", organization: "Analytical Engines Ltd" },
        siteIds: [DEMO_IDS.acme, DEMO_IDS.globex],
      },
      {
        accountId: DEMO_IDS.grace,
        name: "Grace Hopper",
        email: "grace@example.com",
        emailVerified: true,
        nickname: "grace",
        locale: "en-US",
        zoneinfo: "America/New_York",
        accountStatus: "active",
        siteIds: [DEMO_IDS.acme],
      },
      {
        accountId: DEMO_IDS.alan,
        name: "Alan Turing",
        email: "alan@example.com",
        emailVerified: true,
        nickname: "alan",
        locale: "en-GB",
        zoneinfo: "Europe/London",
        accountStatus: "active",
        siteIds: [],
      },
    ],
  };
}
