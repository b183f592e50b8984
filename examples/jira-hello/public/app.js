// The page of Jira Hello. It uses @foyer/js for signing in and session tokens, and asks its own
// server (/api/atlassian) for everything Atlassian: the Atlassian token never reaches the browser.

const { publishableKey, foyerJs } = document.body.dataset;
const root = document.getElementById("app");
const notice = document.getElementById("notice");
const ISSUES_SCOPE = "read:jira-work";
const SPACES_SCOPE = "read:space:confluence";

/** Messages for the codes Foyer appends as ?foyer_error= when a redirect back ends badly. */
const RETURN_ERRORS = {
  oauth_access_denied: "You cancelled on Atlassian; nothing changed.",
  atlassian_site_required: "Your Atlassian account needs access to at least one site (Jira, Confluence…).",
  external_account_exists: "That Atlassian account is already connected to another user.",
  session_inactive: "Your session ended before Atlassian answered. Sign in again.",
  oauth_provider_unavailable: "Atlassian could not be reached. Try again in a moment.",
};

/** h("p", { class: "x" }, "text", child): text is always set as text, never parsed as HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) el.setAttribute(name, String(value));
  }
  el.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

function show(...nodes) {
  root.replaceChildren(...nodes);
}

function say(message) {
  notice.textContent = message;
  notice.hidden = !message;
}

function button(label, onclick, kind = "primary") {
  const el = h("button", { type: "button", class: kind }, label);
  el.addEventListener("click", async () => {
    el.disabled = true;
    try {
      await onclick();
    } catch (err) {
      say(err instanceof Error ? err.message : String(err));
    } finally {
      el.disabled = false;
    }
  });
  return el;
}

// A failed redirect back from Foyer carries ?foyer_error=<code>: say so, then tidy the address bar.
const returned = new URL(location.href);
const returnedError = returned.searchParams.get("foyer_error");
if (returnedError) {
  say(RETURN_ERRORS[returnedError] ?? `Foyer could not finish that (${returnedError}).`);
  returned.searchParams.delete("foyer_error");
  history.replaceState(null, "", returned.pathname + returned.search + returned.hash);
}

let foyer;
try {
  const { Foyer } = await import(foyerJs);
  foyer = new Foyer(publishableKey);
  await foyer.load();
} catch (err) {
  show(h("p", { class: "error" }, `Foyer could not be reached (${err?.message ?? err}). Is it running?`));
  throw err;
}

/**
 * Connect Atlassian again, or with more scopes: Foyer answers with Atlassian's consent URL, and
 * after consent sends the browser back here (Clerk's user.createExternalAccount / reauthorize).
 */
function connectAtlassian(additionalScopes) {
  return foyer.connect.atlassian({ additionalScopes, redirectUrl: `${location.origin}/` });
}

/** The scopes the user already granted, so reconnecting keeps them. */
function grantedScopes() {
  const account = foyer.user?.external_accounts.find((a) => a.provider === "oauth_atlassian");
  return (account?.approved_scopes ?? "").split(" ").filter(Boolean);
}

function renderSignedOut() {
  show(
    h("p", {}, "You are signed out."),
    button("Sign in with Atlassian", () => foyer.signIn.atlassian({ redirectUrl: `${location.origin}/` })),
  );
}

function userCard(user) {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username || "You";
  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2);
  const avatar = h("span", { class: "avatar", "aria-hidden": "true" }, initials);
  if (user.image_url) {
    const img = h("img", { src: user.image_url, alt: "" });
    img.addEventListener("error", () => img.remove());
    avatar.append(img);
  }
  return h(
    "div",
    { class: "user" },
    avatar,
    h(
      "div",
      {},
      h("strong", { "data-testid": "user-name" }, name),
      h("div", { class: "muted" }, user.email_addresses[0]?.email_address ?? ""),
    ),
    button(
      "Sign out",
      async () => {
        await foyer.signOut();
        say("");
        renderSignedOut();
      },
      "secondary",
    ),
  );
}

/** What the page says for a call that did not give data (see SiteResult in src/atlassian.ts). */
function notShown(result, what) {
  switch (result.kind) {
    case "no_permission":
      return h(
        "p",
        { class: "muted", "data-testid": "no-permission" },
        `No ${what} permission on this site (${result.scope}).`,
      );
    case "reconnect":
      // A 401 that survived a refreshed token: only a new consent can help.
      return h(
        "div",
        { class: "error" },
        h("p", {}, `Atlassian refused this app's access to ${what} here.`),
        button("Reconnect Atlassian", () => connectAtlassian(grantedScopes())),
      );
    default:
      return h(
        "p",
        { class: "error" },
        `Atlassian answered ${result.status || "nothing"}: ${result.message}`,
      );
  }
}

function siteCard(site) {
  const myself = site.myself.ok
    ? h(
        "dl",
        { class: "myself", "data-testid": "jira-myself" },
        h("dt", {}, "Jira display name"),
        h("dd", {}, site.myself.data.displayName),
        h("dt", {}, "Account id"),
        h("dd", {}, h("code", {}, site.myself.data.accountId)),
        site.myself.data.emailAddress && h("dt", {}, "Email"),
        site.myself.data.emailAddress && h("dd", {}, site.myself.data.emailAddress),
        site.myself.data.timeZone && h("dt", {}, "Time zone"),
        site.myself.data.timeZone && h("dd", {}, site.myself.data.timeZone),
      )
    : notShown(site.myself, "Jira profile");

  let issues;
  if (!site.issues.ok) issues = notShown(site.issues, "Jira issues");
  else if (site.issues.data.length === 0) issues = h("p", { class: "muted" }, "No issues assigned to you.");
  else
    issues = h(
      "ul",
      { class: "issues", "data-testid": "jira-issues" },
      ...site.issues.data.map((i) =>
        h(
          "li",
          {},
          h("a", { href: i.url, target: "_blank", rel: "noreferrer" }, i.key),
          ` ${i.summary} `,
          h("span", { class: "status" }, i.status),
        ),
      ),
    );

  // Confluence is shown only where the grant holds its scope on this site; no noise elsewhere.
  const spaces = site.spaces.ok
    ? h(
        "ul",
        { class: "spaces", "data-testid": "confluence-spaces" },
        ...site.spaces.data.map((s) => h("li", {}, h("code", {}, s.key), ` ${s.name}`)),
      )
    : site.spaces.kind === "no_permission"
      ? null
      : notShown(site.spaces, "Confluence spaces");

  return h(
    "article",
    { class: "site", "data-testid": "site", "data-site-name": site.name },
    h(
      "h3",
      {},
      site.name,
      " ",
      h("a", { href: site.url, target: "_blank", rel: "noreferrer", class: "muted" }, site.url),
    ),
    h(
      "p",
      { class: "muted" },
      "Scopes on this site: ",
      h("code", { "data-testid": "site-scopes" }, site.scopes.join(" ") || "none"),
    ),
    h("h4", {}, "GET /rest/api/3/myself"),
    myself,
    h("h4", {}, "Your issues (GET /rest/api/3/search/jql)"),
    issues,
    spaces && h("h4", {}, "Confluence spaces (GET /wiki/api/v2/spaces)"),
    spaces,
  );
}

async function renderSignedIn() {
  const header = userCard(foyer.user);
  show(header, h("p", { class: "muted" }, "Asking Jira…"));

  // The app's server verifies this session token on every request.
  const token = await foyer.session.getToken();
  const res = await fetch("/api/atlassian", { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 401) return renderSignedOut();
  if (!res.ok)
    return show(header, h("p", { class: "error" }, `The app's server answered HTTP ${res.status}.`));
  const view = await res.json();

  switch (view.status) {
    case "reauthorization_required":
      return show(
        header,
        h(
          "p",
          {},
          "Atlassian no longer accepts this app's access (revoked, password changed, or unused for a long time).",
        ),
        button("Reconnect Atlassian", () => connectAtlassian(grantedScopes())),
      );
    case "not_connected":
      return show(
        header,
        h("p", {}, "No Atlassian account is connected."),
        button("Connect Atlassian", () => connectAtlassian([])),
      );
    case "unavailable":
      return show(
        header,
        h("p", { class: "error" }, view.message),
        button("Try again", renderSignedIn, "secondary"),
      );
    default: {
      const actions = h("div", { class: "actions" });
      const granted = grantedScopes();
      if (!view.scopes.includes(SPACES_SCOPE)) {
        actions.append(
          button(
            "Allow access to Confluence spaces",
            () => connectAtlassian([...granted, SPACES_SCOPE]),
            "secondary",
          ),
        );
      }
      if (!view.canSearchIssues) {
        actions.append(
          button("Allow access to Jira issues", () => connectAtlassian([...grantedScopes(), ISSUES_SCOPE])),
          h(
            "span",
            { class: "muted" },
            ` adds the ${ISSUES_SCOPE} scope; Atlassian asks you to consent again.`,
          ),
        );
      } else {
        actions.append(
          button("Add another Atlassian site", () => connectAtlassian(grantedScopes()), "secondary"),
        );
      }
      return show(
        header,
        h("h2", {}, `Atlassian sites you granted (${view.sites.length})`),
        h("p", { class: "muted" }, "Scopes: ", h("code", { "data-testid": "scopes" }, view.scopes.join(" "))),
        ...view.sites.map(siteCard),
        actions,
      );
    }
  }
}

// Signed out in another tab, or the session revoked (from the dashboard or the Backend API): the
// SDK's next background mint fails and tells its listeners; within one token lifetime (60 s) the
// page stops showing the user's data.
let signedIn = Boolean(foyer.user);
foyer.addListener(({ session }) => {
  if (signedIn && !session) {
    say("Your session has ended. Sign in again to continue.");
    renderSignedOut();
  }
  signedIn = Boolean(session);
});

if (foyer.user) await renderSignedIn();
else renderSignedOut();
