/**
 * @foyer/react on React 18, as a user of React 18 gets it: the packed tarballs of @foyer/contract,
 * @foyer/js and @foyer/react installed in a fresh project outside the monorepo with react@18,
 * react-dom@18 and @types/react@18; its page (consumer-react18/app.tsx, in StrictMode) is
 * type-checked against React 18's types, bundled by esbuild from the installed packages (React's
 * development build, which is where React warns) and driven in Chromium against a listening Foyer
 * and the Atlassian emulator, served under `default-src 'self'`. Every console error or warning
 * fails it: React 18 reports an API it lacks (ref as a prop, <Context> as a provider, `use`) there.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "@foyer/testkit/browser";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance } from "@foyer/testkit/instances";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { narrowPage, serveTestApp, type TestApp, violations } from "../packages/react/src/test-page/serve.js";
import { packWorkspaces, sh } from "./npm.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONSUMER = fileURLToPath(new URL("./consumer-react18/", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const SDKS = ["@foyer/contract", "@foyer/js", "@foyer/react"] as const;

describe("@foyer/react installed with React 18", () => {
  let work: string;
  let app: string;
  let foyer: EmulatedFoyer;
  let served: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    for (const dir of ["contract", "js", "react"]) {
      if (!existsSync(join(ROOT, "packages", dir, "dist/index.js"))) {
        throw new Error(`packages/${dir}/dist is missing: run \`npm run build\` first`);
      }
    }
    work = mkdtempSync(join(tmpdir(), "foyer-react18-"));
    // Outside the monorepo: its React 19 cannot stand in for the app's React 18.
    expect(relative(ROOT, work).startsWith("..")).toBe(true);
    const tarballs = join(work, "tarballs");
    mkdirSync(tarballs);
    const packs = await packWorkspaces(ROOT, SDKS, tarballs);
    app = join(work, "app");
    mkdirSync(app);
    const deps = Object.fromEntries(packs.map((p) => [p.name, `file:${join(tarballs, p.filename)}`]));
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({
        name: "foyer-react18-consumer",
        private: true,
        type: "module",
        dependencies: { ...deps, react: "^18", "react-dom": "^18" },
        devDependencies: { "@types/react": "^18", "@types/react-dom": "^18" },
      }),
    );
    for (const f of readdirSync(CONSUMER)) copyFileSync(join(CONSUMER, f), join(app, f));
    await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app);

    foyer = await createEmulatedFoyer("sqlite", { listen: true });
    const { id } = await createTestInstance(foyer, {
      name: "React 18 Hello",
      // Ada's Atlassian sites become organizations, so <OrganizationSwitcher/> has one to show.
      patch: { organizations_from_sites: "auto" },
    });
    served = await serveTestApp(
      new URL(foyer.svc.config.publicUrl).origin,
      async (origin) => {
        const patched = await foyer.platform(`/instances/${id}`, {
          method: "PATCH",
          json: { allowed_origins: [origin] },
        });
        return (await patched.json()).publishable_key;
      },
      { entry: join(app, "app.tsx"), css: join(app, "node_modules/@foyer/react/dist/styles.css") },
    );
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await foyer?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const installed = (name: string) =>
    JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8")).version as string;

  it("installs React 18 beside the packed @foyer/react, and no second React", () => {
    for (const name of ["react", "react-dom", "@types/react", "@types/react-dom"]) {
      expect(installed(name), name).toMatch(/^18\./);
    }
    // A peer dependency: @foyer/react (or @foyer/js) bringing a React of its own would split hooks.
    for (const sdk of SDKS)
      expect(existsSync(join(app, "node_modules", sdk, "node_modules/react"))).toBe(false);
  });

  it("type-checks the app against @types/react@18, @foyer/react's declarations included", async () => {
    await sh("node", [TSC, "-p", "tsconfig.json"], app);
  }, 120_000);

  it("signs in, opens <UserButton/>'s and <OrganizationSwitcher/>'s menus and lists the account in <UserProfile/>, with no console error or warning", async () => {
    const { context, page, problems } = await narrowPage(browser);
    page.on("console", (m) => {
      if (m.type() === "warning") problems.push(`console warning: ${m.text()}`);
    });
    await page.goto(`${served.origin}/`);
    // A page that throws on mount renders nothing: say why rather than only that it timed out.
    await page
      .getByTestId("react-version")
      .waitFor()
      .catch((err: Error) => {
        throw new Error(`${err.message}\nThe page reported: ${problems.join("\n") || "nothing"}`);
      });
    await expect(page.getByTestId("react-version").textContent()).resolves.toMatch(/^18\./);
    const card = page.getByRole("region", { name: "Sign in" });
    await card.getByText("to continue to React 18 Hello").waitFor();
    // The installed stylesheet applied (no inline style could have done it under this CSP).
    await expect(card.evaluate((el) => getComputedStyle(el).paddingTop)).resolves.toBe("24px");
    expect(await page.getByRole("button", { name: "Sign in from my own button" }).count()).toBe(1);

    await card.getByRole("button", { name: "Continue with Atlassian" }).click();
    await page.getByLabel(/Ada Lovelace/).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("radio", { name: /Acme/ }).check();
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await page.waitForURL(`${served.origin}/`);
    await page.getByTestId("who").filter({ hasText: "Ada Lovelace" }).waitFor();
    await page.getByTestId("jira-scope").waitFor();
    expect(await page.getByRole("region", { name: "Sign in" }).count()).toBe(0);

    // <UserButton/>: the menu opens on its first item; arrows move; Escape closes and refocuses.
    const trigger = page.getByRole("button", { name: "Account menu for Ada Lovelace" });
    await trigger.click();
    const menu = page.getByRole("menu", { name: "Account of Ada Lovelace" });
    await menu.waitFor();
    await expect(trigger.getAttribute("aria-controls")).resolves.toBe(await menu.getAttribute("id"));
    await expect(menu.getByRole("menuitem").allTextContents()).resolves.toEqual([
      "Manage account",
      "Sign out",
    ]);
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await expect(focused()).resolves.toBe("Manage account");
    await page.keyboard.press("ArrowDown");
    await expect(focused()).resolves.toBe("Sign out");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await expect(trigger.getAttribute("aria-expanded")).resolves.toBe("false");

    // <OrganizationSwitcher/>: Acme, the site Ada consented to, is the active organization.
    const orgs = page.getByRole("button", { name: /^Organization: Acme/ });
    await orgs.click();
    const orgMenu = page.getByRole("menu", { name: "Organizations" });
    await orgMenu.waitFor();
    await expect(orgMenu.getByRole("menuitemradio", { checked: true }).textContent()).resolves.toContain(
      "Acme",
    );
    await page.keyboard.press("Escape");
    await orgMenu.waitFor({ state: "detached" });

    // <UserProfile/>: the profile, the connected account with its site, this device's session.
    const profile = page.getByRole("region", { name: "Account", exact: true });
    await expect(profile.locator('[data-field="name"]').textContent()).resolves.toBe("Ada Lovelace");
    const account = profile
      .getByRole("list", { name: "Connected Atlassian accounts" })
      .getByRole("listitem", { name: "Ada Lovelace" });
    await expect(account.locator("[data-status]").textContent()).resolves.toBe("Active");
    await expect(
      account.getByRole("list", { name: "Sites of Ada Lovelace" }).textContent(),
    ).resolves.toContain("https://acme-demo.atlassian.net");
    await expect(account.getByRole("button", { name: "Grant more access" }).isVisible()).resolves.toBe(true);
    await profile
      .getByRole("list", { name: "Active sessions" })
      .locator(":scope > li")
      .filter({ hasText: "This device" })
      .waitFor();

    // Sign out from the menu: back to <SignIn/>, and a reload finds no session.
    await trigger.click();
    await menu.getByRole("menuitem", { name: "Sign out" }).click();
    await page.getByRole("region", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("region", { name: "Sign in" }).waitFor();
    expect(await page.getByTestId("who").count()).toBe(0);

    expect(await violations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
