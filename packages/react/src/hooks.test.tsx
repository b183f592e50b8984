/** @jsxImportSource react */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encodePublishableKey } from "@foyer/contract";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import {
  createTestInstance,
  type SignedIn as SignedInUser,
  signInTestUser,
  type TestInstance,
} from "@foyer/testkit/instances";
import { Window as HappyWindow } from "happy-dom";
import { act } from "react";
import type { Root } from "react-dom/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  FoyerProvider,
  Protect,
  SignedIn,
  SignedOut,
  SignIn,
  type UseAuthReturn,
  type UseOrganizationListReturn,
  type UseUserReturn,
  useAtlassianAccounts,
  useAuth,
  useOrganization,
  useOrganizationList,
  useRedirectError,
  useSession,
  useUser,
} from "./index.js";

/**
 * The hooks' states with a real @foyer/js against a real Frontend API (both databases), rendered
 * by react-dom into happy-dom's document. The SDK's fetch goes through a small cookie jar in front
 * of Foyer's request handler, standing where the browser's cookie store stands.
 *
 * happy-dom is given to React as `window` and `document` only (not as vitest's environment, which
 * would swap Node's URL and fetch under the in-process Foyer); react-dom is imported after that,
 * since it looks for a DOM when it loads.
 */
const APP = "https://app.example.com";
const dom = new HappyWindow({ url: `${APP}/` });
for (const [name, value] of Object.entries({
  window: dom,
  document: dom.document,
  navigator: dom.navigator,
  IS_REACT_ACT_ENVIRONMENT: true,
})) {
  // defineProperty: newer Node versions define navigator as a getter.
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}
const { createRoot } = await import("react-dom/client");
// happy-dom's classes stand in for the DOM lib's types the tests are written against.
const window = dom as unknown as Window & typeof globalThis;
const document = window.document;

function jarFetch(foyer: TestFoyer, clientToken?: string, origin = APP): typeof fetch {
  const jar = new Map<string, string>(clientToken ? [["__client", clientToken]] : []);
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    headers.set("origin", origin);
    const res = await foyer.app.fetch(new Request(input, { ...init, headers }));
    for (const line of res.headers.getSetCookie()) {
      const [name, value] = line.split(";")[0]!.split("=") as [string, string];
      if (/max-age=0/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}

/** The last useAuth() answer, so a test can call its getToken() as an app would. */
let lastAuth: UseAuthReturn | undefined;
let lastUser: UseUserReturn | undefined;

function Probe() {
  const auth = useAuth();
  lastAuth = auth;
  lastUser = useUser();
  const { user } = lastUser;
  const { session } = useSession();
  const { accounts } = useAtlassianAccounts();
  const state = {
    isLoaded: auth.isLoaded,
    isSignedIn: auth.isSignedIn ?? "undefined",
    userId: auth.userId ?? (auth.isLoaded ? null : "undefined"),
    sessionId: auth.sessionId ?? (auth.isLoaded ? null : "undefined"),
    userName: user ? `${user.first_name} ${user.last_name}` : null,
    sessionStatus: session?.status ?? null,
    accounts: accounts.length,
  };
  return (
    <>
      <pre id="state">{JSON.stringify(state)}</pre>
      <SignedIn>
        <p id="signed-in">in</p>
      </SignedIn>
      <SignedOut>
        <p id="signed-out">out</p>
      </SignedOut>
      <Protect fallback={<p id="protect-fallback">no</p>}>
        <p id="protected">yes</p>
      </Protect>
      <Protect scopes={["read:jira-work"]} fallback={<p id="scope-fallback">no scope</p>}>
        <p id="scoped">scope</p>
      </Protect>
    </>
  );
}

/** useRedirectError()'s code, for the test of `?foyer_error=`. */
function ErrorProbe() {
  const error = useRedirectError();
  return <pre id="state">{JSON.stringify({ code: error?.code ?? null })}</pre>;
}

let lastList: UseOrganizationListReturn | undefined;

/** useOrganization() and useOrganizationList() as an organization switcher reads them. */
function OrganizationProbe() {
  const { isLoaded, organization, membership } = useOrganization();
  lastList = useOrganizationList();
  const state = {
    isLoaded,
    organization: organization?.name ?? null,
    role: membership?.role ?? null,
    listLoaded: lastList.isLoaded,
    list: lastList.userMemberships.data?.map((m) => m.organization.name) ?? null,
  };
  return <pre id="state">{JSON.stringify(state)}</pre>;
}

describe.each(DB_KINDS)("@foyer/react hooks against a real Frontend API (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  let root: Root | undefined;

  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer, { allowedOrigins: [APP] });
  });
  afterEach(() => {
    act(() => root?.unmount());
    root = undefined;
    document.body.innerHTML = "";
  });
  afterAll(async () => {
    await foyer.close();
  });

  function mount(fetchImpl: typeof fetch, probe = <Probe />) {
    const container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
    act(() =>
      root!.render(
        <FoyerProvider publishableKey={t.publishableKey} options={{ fetch: fetchImpl, sessionCookie: false }}>
          {probe}
        </FoyerProvider>,
      ),
    );
    return container;
  }

  const state = (c: HTMLElement) => JSON.parse(c.querySelector("#state")!.textContent!);
  const has = (c: HTMLElement, id: string) => c.querySelector(`#${id}`) !== null;

  /** Lets the SDK's requests finish and React re-render, until `done` holds (the test's timeout bounds it). */
  async function until(done: () => boolean) {
    while (!done()) await act(() => new Promise((r) => setTimeout(r, 10)));
  }

  it("is loading until the client is read: no signed-in or signed-out content yet", () => {
    const c = mount(jarFetch(foyer));
    expect(state(c)).toMatchObject({ isLoaded: false, isSignedIn: "undefined", userId: "undefined" });
    for (const id of ["signed-in", "signed-out", "protected", "protect-fallback"])
      expect(has(c, id)).toBe(false);
  });

  it("is signed out for a browser without a session", async () => {
    const c = mount(jarFetch(foyer));
    await until(() => state(c).isLoaded);
    expect(state(c)).toEqual({
      isLoaded: true,
      isSignedIn: false,
      userId: null,
      sessionId: null,
      userName: null,
      sessionStatus: null,
      accounts: 0,
    });
    expect(has(c, "signed-out")).toBe(true);
    expect(has(c, "signed-in")).toBe(false);
    expect(has(c, "protect-fallback")).toBe(true);
    expect(await lastAuth!.getToken()).toBeNull();
  });

  it("is signed in with the session's user, and getToken() answers a token of that session", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const c = mount(jarFetch(foyer, signedIn.clientToken));
    await until(() => state(c).isLoaded);
    expect(state(c)).toEqual({
      isLoaded: true,
      isSignedIn: true,
      userId: signedIn.user.id,
      sessionId: signedIn.sessionId,
      userName: "Ada Lovelace",
      sessionStatus: "active",
      accounts: 0,
    });
    expect(has(c, "signed-in")).toBe(true);
    expect(has(c, "signed-out")).toBe(false);
    expect(has(c, "protected")).toBe(true);
    // No Atlassian grant holds read:jira-work: the scoped <Protect> shows its fallback.
    expect(has(c, "scope-fallback")).toBe(true);
    const token = await lastAuth!.getToken();
    const claims = JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ sub: signedIn.user.id, sid: signedIn.sessionId, azp: APP });
    // useUser() hands out @foyer/js's user, with the user-side calls.
    const sessions = await lastUser!.user!.getSessions();
    expect(sessions.map((s) => s.id)).toEqual([signedIn.sessionId]);
  });

  it("turns signed out when the session is ended elsewhere (revoked by the app's server)", async () => {
    const signedIn: SignedInUser = await signInTestUser(foyer, t.instance);
    const c = mount(jarFetch(foyer, signedIn.clientToken));
    await until(() => state(c).isSignedIn === true);
    const revoked = await foyer.request(`/v1/sessions/${signedIn.sessionId}/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(revoked.status).toBe(200);
    // The next token request finds the session gone: it answers null and the tree re-renders.
    expect(await act(() => lastAuth!.getToken({ skipCache: true }))).toBeNull();
    await until(() => state(c).isSignedIn === false);
    expect(state(c)).toMatchObject({ userId: null, sessionId: null, userName: null });
    expect(has(c, "signed-out")).toBe(true);
    expect(has(c, "signed-in")).toBe(false);
  });

  it("re-reads the client when the tab is shown again: a session ended meanwhile shows at once", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const c = mount(jarFetch(foyer, signedIn.clientToken));
    await until(() => state(c).isSignedIn === true);
    const revoked = await foyer.request(`/v1/sessions/${signedIn.sessionId}/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(revoked.status).toBe(200);
    // No token is asked for: only the tab coming back into view.
    act(() => {
      document.dispatchEvent(new window.Event("visibilitychange"));
    });
    await until(() => state(c).isSignedIn === false);
    expect(has(c, "signed-out")).toBe(true);
  });

  it("signs out through useAuth().signOut(): the tree re-renders signed out", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    const c = mount(jarFetch(foyer, signedIn.clientToken));
    await until(() => state(c).isSignedIn === true);
    await act(() => lastAuth!.signOut());
    expect(state(c)).toMatchObject({ isLoaded: true, isSignedIn: false, userId: null });
    expect(has(c, "signed-out")).toBe(true);
  });

  it("useRedirectError() keeps the ?foyer_error= of the page's first load, which the SDK took off the address", async () => {
    const signedIn = await signInTestUser(foyer, t.instance);
    // The SDK reads the address bar through `location` and tidies it with `history`.
    dom.happyDOM.setURL(`${APP}/?tab=jira&foyer_error=oauth_access_denied`);
    for (const name of ["location", "history"] as const) {
      Object.defineProperty(globalThis, name, { value: dom[name], configurable: true, writable: true });
    }
    try {
      const c = mount(jarFetch(foyer, signedIn.clientToken), <ErrorProbe />);
      await until(() => state(c).code !== null);
      expect(state(c)).toEqual({ code: "oauth_access_denied" });
      expect(dom.location.href).toBe(`${APP}/?tab=jira`);
      // A later load (the tab shown again) finds no code in the address: the first one stays.
      dom.document.dispatchEvent(new dom.Event("visibilitychange"));
      await act(() => new Promise((r) => setTimeout(r, 50)));
      expect(state(c)).toEqual({ code: "oauth_access_denied" });
    } finally {
      for (const name of ["location", "history"]) delete (globalThis as Record<string, unknown>)[name];
      dom.happyDOM.setURL(`${APP}/`);
    }
  });

  it("shows <SignIn/> with why, in words, when Foyer cannot be reached", async () => {
    // A Frontend API on a port nothing listens on (taken, then given back).
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const unreachable = encodePublishableKey("development", `http://127.0.0.1:${port}/fapi/ins_gone`);
    const container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      act(() =>
        root!.render(
          <FoyerProvider publishableKey={unreachable} options={{ sessionCookie: false }}>
            <SignIn />
          </FoyerProvider>,
        ),
      );
      await until(() => container.querySelector('[role="alert"]') !== null);
    } finally {
      console.error = original;
    }
    const alert = container.querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain("Foyer could not be reached");
    expect(alert).toContain("allowed origins");
    expect(alert).toContain("Code: network_error");
    expect(container.querySelector("button")!.hasAttribute("disabled")).toBe(true);
    // The developer hears of it in the console too.
    expect(logged.join("\n")).toContain("Foyer: Foyer could not be reached");
  });

  it("lists the user's organizations and switches the active one with setActive, refusing a non-member's", async () => {
    const ada = await signInTestUser(foyer, t.instance);
    const bob = await signInTestUser(foyer, t.instance);
    const createOrg = async (name: string, createdBy: string) =>
      (
        await foyer.request("/v1/organizations", {
          method: "POST",
          headers: { authorization: `Bearer ${t.secretKey}`, "content-type": "application/json" },
          body: JSON.stringify({ name, created_by: createdBy }),
        })
      ).json() as Promise<{ id: string }>;
    const acme = await createOrg("Acme", ada.user.id);
    const globex = await createOrg("Globex", bob.user.id);
    const c = mount(jarFetch(foyer, ada.clientToken), <OrganizationProbe />);
    await until(() => state(c).listLoaded);
    expect(state(c)).toEqual({
      isLoaded: true,
      organization: null,
      role: null,
      listLoaded: true,
      list: ["Acme"],
    });

    await act(() => lastList!.setActive({ organization: acme.id }));
    await until(() => state(c).organization === "Acme");
    expect(state(c)).toMatchObject({ isLoaded: true, organization: "Acme", role: "org:admin" });

    let refused: unknown;
    await act(async () => {
      refused = await lastList!.setActive({ organization: globex.id }).catch((e: unknown) => e);
    });
    expect(refused).toMatchObject({ code: "organization_membership_required" });
    expect(state(c)).toMatchObject({ organization: "Acme" });
  });

  it("says in a sentence when a hook is used outside <FoyerProvider>", () => {
    const container = document.createElement("div");
    root = createRoot(container);
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => {
      errors.push(e.error);
      e.preventDefault();
    };
    window.addEventListener("error", onError);
    try {
      expect(() => act(() => root!.render(<Probe />))).toThrow("must be inside <FoyerProvider>");
    } finally {
      window.removeEventListener("error", onError);
    }
  });
});
