/**
 * Every dashboard page on a phone (390×844, an iPhone 12-14 viewport) in Debian's Chromium: none
 * scrolls sideways (`document.documentElement.scrollWidth <= 390`), with real content on each
 * (long keys, a production instance, a signed-in user with sites, a connection error).
 */
import { DEMO_IDS } from "@foyer/atlassian-emulator";
import { codeFlow, registerOAuthApplication } from "@foyer/testkit/authorization-server";
import { artifactPath, launchBrowser } from "@foyer/testkit/browser";
import {
  CookieJar,
  createEmulatedFoyer,
  type EmulatedFoyer,
  signInFlow,
} from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser } from "@foyer/testkit/instances";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const WIDTH = 390;

describe("dashboard at 390 px", () => {
  let foyer: EmulatedFoyer;
  let browser: Browser;
  let page: Page;
  let base: string;
  const paths: string[] = [];

  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    base = foyer.svc.config.publicUrl;
    const app = await (
      await foyer.platform("/applications", {
        method: "POST",
        json: { name: "A rather long application name" },
      })
    ).json();
    const dev = app.instances[0];
    const prod = await (
      await foyer.platform(`/applications/${app.id}/instances`, {
        method: "POST",
        json: {
          environment: "production",
          frontend_api_url: "https://clerk.a-long-production-host-name.example.com",
        },
      })
    ).json();
    await foyer.platform(`/instances/${dev.id}`, {
      method: "PATCH",
      json: {
        allowed_origins: [
          "https://a-very-long-subdomain-of-the-app.example.com:8443",
          "http://localhost:5173",
        ],
        // The sign-in below makes a site organization for the Organizations page.
        organizations_from_sites: "auto",
      },
    });
    const signIn = await signInFlow(foyer, new CookieJar(), dev.id, {
      accountId: DEMO_IDS.ada,
      cloudId: DEMO_IDS.globex,
    });
    expect(signIn.location).not.toContain("error=");
    const user = await foyer.svc.db.kysely.selectFrom("users").select("id").executeTakeFirstOrThrow();
    await foyer.platform(`/instances/${dev.id}/organizations`, {
      method: "POST",
      json: { name: "An organization with a rather long name for a phone", created_by: user.id },
    });
    // A connection error to show on the production connection page.
    await foyer.platform(`/instances/${prod.id}/social_connections/atlassian`, {
      method: "PATCH",
      json: { client_id: "a-client-id-that-is-quite-long-0123456789", client_secret: "s".repeat(40) },
    });
    await foyer.svc.db.kysely
      .updateTable("social_connections")
      .set({
        last_error_code: "invalid_client",
        last_error_detail: "code_exchange: access_denied",
        last_error_at: 1,
      })
      .where("instance_id", "=", prod.id)
      .execute();

    // The OAuth applications tab with a long client, a resource and a grant.
    const as = await createTestInstance(foyer);
    const client = await registerOAuthApplication(foyer, as.id, {
      name: "An OAuth client with a rather long name for a phone",
      redirect_uris: ["https://a-very-long-subdomain-of-the-app.example.com/oauth/callback/for/a/phone"],
    });
    await foyer.platform(`/instances/${as.id}`, {
      method: "PATCH",
      json: {
        oauth_resources: [
          {
            resource: "https://mcp.a-long-host-name.example.com/mcp",
            name: "Issues",
            scopes: ["issues:read"],
          },
        ],
      },
    });
    const asUser = await signInTestUser(foyer, as.instance);
    const grant = await codeFlow(foyer, as, { client, clientToken: asUser.clientToken });
    expect(grant.outcome.callback?.searchParams.get("code")).toBeTruthy();

    paths.push(
      "/dashboard",
      `/dashboard/instances/${as.id}/oauth`,
      `/dashboard/instances/${prod.id}/oauth`,
      `/dashboard/applications/${app.id}/production`,
      `/dashboard/applications/${app.id}/delete`,
      ...[dev.id, prod.id].flatMap((id) => [
        `/dashboard/instances/${id}/api-keys`,
        `/dashboard/instances/${id}/sso`,
        `/dashboard/instances/${id}/sso/atlassian`,
        `/dashboard/instances/${id}/users`,
        `/dashboard/instances/${id}/settings`,
        `/dashboard/instances/${id}/organizations`,
      ]),
      `/dashboard/instances/${dev.id}/users/${user.id}`,
      `/dashboard/instances/${dev.id}/users/${user.id}/delete`,
      "/dashboard/nope",
    );

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, isMobile: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await foyer?.close();
  });

  const overflow = () =>
    page.evaluate(
      (width) => ({
        scrollWidth: document.documentElement.scrollWidth,
        // The widest element sticking out, to say what to fix.
        culprit: [...document.querySelectorAll("body *")]
          .filter(
            (el) =>
              el.getBoundingClientRect().right > width + 0.5 ||
              // Text wider than its box (a long URL that cannot wrap) sticks out without its box doing so.
              (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible"),
          )
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`)
          .slice(-5),
      }),
      WIDTH,
    );

  it("has no horizontal scroll on the sign-in page", async () => {
    await page.goto(`${base}/dashboard/sign-in`);
    const { scrollWidth, culprit } = await overflow();
    expect(scrollWidth, culprit.join(", ")).toBeLessThanOrEqual(WIDTH);
    await page.getByLabel("Platform token").fill(foyer.platformToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/dashboard`);
  });

  it("has no horizontal scroll on any page behind sign-in", async () => {
    const wide: string[] = [];
    for (const path of paths) {
      await page.goto(`${base}${path}`);
      const { scrollWidth, culprit } = await overflow();
      if (scrollWidth > WIDTH) wide.push(`${path}: ${scrollWidth}px (${culprit.join(", ")})`);
      const name = path
        .replace(/^\/dashboard\/?/, "")
        .replace(/(ins|app|user)_[a-z0-9]+/g, "$1")
        .replace(/\//g, "-");
      await page.screenshot({
        path: artifactPath(`dashboard-390-${name || "applications"}.png`),
        fullPage: true,
      });
    }
    expect(wide).toEqual([]);
  });
});
