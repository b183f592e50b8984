import type { Browser, BrowserContextOptions, Page } from "playwright-core";

/**
 * What the example's browser tests check on every page: a 390 px wide context whose page records
 * CSP violations, failed responses and console errors from its first request. Not a test file
 * (and excluded from the build), so it imports no test kit.
 */
export async function narrowPage(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 }, ...options });
  // Fail a step with its locator well before the test's own timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  page.on("console", (m) => {
    // The browser's own favicon.ico request on Foyer's and the emulator's pages is no fault of the app.
    if (m.location().url.endsWith("/favicon.ico")) return;
    if (m.type() === "error" || /Content Security Policy/i.test(m.text()))
      problems.push(`console: ${m.text()} at ${m.location().url}`);
  });
  // An init script runs through the debugging protocol, not the page, so the CSP does not apply to it.
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { context, page, problems };
}

/** The CSP violations the page reported (see narrowPage). */
export const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

/** Wider than the viewport means the page scrolls sideways. */
export const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** No style attribute and no <style> element: every look comes from the built stylesheets. */
export const inlineStyles = (page: Page) =>
  page.evaluate(() => document.querySelectorAll("[style], style").length);

/** <UserButton/>'s trigger, named for the signed-in user. */
export const accountMenu = (page: Page, name: string) =>
  page.getByRole("button", { name: `Account menu for ${name}` });

/** What `foyer start` printed that the tests drive it with. */
export function started(output: string, printed: (output: string, label: RegExp) => string) {
  const api = printed(output, /Foyer is ready at/);
  return {
    link: printed(output, /Open this first:/),
    api,
    control: `${printed(output, /Atlassian:\s+emulated at/)}/__emulator`,
    secretKey: printed(output, /Secret key:/),
    platformToken: printed(output, /Platform token:/),
    instanceId: /development instance (ins_\w+)/.exec(output)?.[1] ?? "",
  };
}
