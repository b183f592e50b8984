/**
 * auth.atlassian.com/authorize and the two consent steps behind it. The request travels between
 * steps as a random server-side pending id, never as form fields the browser could alter.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { AccountPage } from "../pages/account-page.js";
import { ConsentPage } from "../pages/consent-page.js";
import { ErrorPage } from "../pages/error-page.js";
import { randomToken } from "../random.js";
import { type EmulatorState, now, type PendingAuthorization } from "../state.js";
import type { ConsentAnswer, EmulatorAccount } from "../types.js";
import { acceptedRedirect, accountProblem, candidateSites, chooseSites, declinedRedirect } from "./decide.js";
import { type AuthorizeProblem, problems } from "./problems.js";
import { parseAuthorizeRequest } from "./request.js";

const PENDING_TTL_MS = 30 * 60 * 1000;

export function authorizeRoutes(state: EmulatorState): Hono {
  const app = new Hono();

  // Matches /authorize itself too. Consent pages must not be cached or framed (clickjacking).
  app.use("/authorize/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
  });

  app.get("/authorize", (c) => {
    const query = new URL(c.req.url).searchParams;
    state.lastAuthorizeRequest = Object.fromEntries(query);
    const parsed = parseAuthorizeRequest(state, query);
    if (!parsed.ok) return problemPage(c, parsed.problem);

    const automatic = state.consentQueue.shift() ?? state.autoConsent;
    if (automatic) return answerAutomatically(c, state, parsed.request, automatic);

    const pending: PendingAuthorization = {
      id: randomToken(),
      request: parsed.request,
      expiresAt: now(state) + PENDING_TTL_MS,
    };
    sweepPending(state);
    state.pending.set(pending.id, pending);
    return c.html(
      <AccountPage
        pendingId={pending.id}
        appName={parsed.app.name}
        accounts={[...state.accounts.values()]}
      />,
    );
  });

  app.post("/authorize/account", async (c) => {
    const form = await formFields(c);
    const pending = livePending(state, form.pending);
    if (!pending) return problemPage(c, problems.expiredRequest());
    const app = state.apps.get(pending.request.clientId);
    if (!app) return problemPage(c, problems.unknownClient());

    let account: EmulatorAccount | undefined;
    if (form.mode === "create") {
      const name = (form.name ?? "").trim();
      const email = (form.email ?? "").trim();
      if (!name || !/^[^\s@]+@[^\s@]+$/.test(email)) {
        const accounts = [...state.accounts.values()];
        const error = "Enter a name and a valid email address.";
        return c.html(
          <AccountPage pendingId={pending.id} appName={app.name} accounts={accounts} error={error} />,
          400,
        );
      }
      // Shaped like real account ids (557058:uuid); the new account can use every seeded site,
      // so a person trying the demo is not stopped by "no site".
      account = {
        accountId: `557058:${randomUUID()}`,
        name,
        email,
        emailVerified: true,
        accountStatus: "active",
        siteIds: [...state.sites.keys()],
      };
      state.accounts.set(account.accountId, account);
    } else {
      account = state.accounts.get(form.account_id ?? "");
      if (!account) return problemPage(c, problems.unknownAccount());
    }

    const problem = accountProblem(state, app, account, pending.request);
    if (problem) {
      state.pending.delete(pending.id);
      return problemPage(c, problem);
    }
    pending.accountId = account.accountId;
    const sites = candidateSites(state, account, pending.request);
    const accountLevel = (app.accessType ?? "resource") === "account";
    return c.html(
      <ConsentPage
        pendingId={pending.id}
        appName={app.name}
        account={account}
        scopes={pending.request.scopes}
        pickSites={!accountLevel && sites.length > 0 ? sites : undefined}
        allSites={accountLevel ? sites : undefined}
      />,
    );
  });

  app.post("/authorize/consent", async (c) => {
    const form = await formFields(c);
    const pending = livePending(state, form.pending);
    const app = pending ? state.apps.get(pending.request.clientId) : undefined;
    const account = pending?.accountId ? state.accounts.get(pending.accountId) : undefined;
    if (!pending || !app || !account) return problemPage(c, problems.expiredRequest());

    if (form.answer !== "accept") {
      state.pending.delete(pending.id);
      return c.redirect(declinedRedirect(pending.request), 302);
    }
    const sites = candidateSites(state, account, pending.request);
    const accountLevel = (app.accessType ?? "resource") === "account";
    if (!accountLevel && sites.length > 0 && !form.cloud_id) {
      // The real picker keeps Accept disabled until exactly one site is chosen.
      return c.html(
        <ConsentPage
          pendingId={pending.id}
          appName={app.name}
          account={account}
          scopes={pending.request.scopes}
          pickSites={sites}
          error="Choose a site to use this app on."
        />,
        400,
      );
    }
    const chosen = chooseSites(state, app, account, pending.request, form.cloud_id);
    state.pending.delete(pending.id);
    if (!chosen.ok) return problemPage(c, chosen.problem);
    return c.redirect(acceptedRedirect(state, pending.request, account.accountId, chosen.cloudIds), 302);
  });

  return app;
}

function answerAutomatically(
  c: Context,
  state: EmulatorState,
  request: PendingAuthorization["request"],
  answer: ConsentAnswer,
): Response {
  const app = state.apps.get(request.clientId)!;
  const account = state.accounts.get(answer.accountId);
  if (!account) return problemPage(c, problems.unknownAccount());
  const problem = accountProblem(state, app, account, request);
  if (problem) return problemPage(c, problem);
  if (answer.answer === "cancel") return c.redirect(declinedRedirect(request), 302);
  const chosen = chooseSites(state, app, account, request, answer.cloudId);
  if (!chosen.ok) return problemPage(c, chosen.problem);
  return c.redirect(acceptedRedirect(state, request, account.accountId, chosen.cloudIds), 302);
}

function problemPage(c: Context, problem: AuthorizeProblem): Response {
  return c.html(<ErrorPage {...problem.page} />, problem.status) as Response;
}

function livePending(state: EmulatorState, id: string | undefined): PendingAuthorization | undefined {
  const pending = id ? state.pending.get(id) : undefined;
  if (!pending || pending.expiresAt <= now(state)) return undefined;
  return pending;
}

function sweepPending(state: EmulatorState): void {
  const t = now(state);
  for (const [id, p] of state.pending) if (p.expiresAt <= t) state.pending.delete(id);
}

async function formFields(c: Context): Promise<Record<string, string | undefined>> {
  const body = await c.req.parseBody();
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}
