/**
 * A front end as a user writes it after `npm i @foyer/js @foyer/react`: packed-sdks.test.ts type-checks it
 * (moduleResolution bundler, DOM types) and bundles it with esbuild from the installed package,
 * as Vite or webpack would, then evaluates the bundle.
 */
import { Foyer, FoyerError, type FoyerState, type UserJSON } from "@foyer/js";
import { FoyerProvider, SignIn } from "@foyer/react";
import { createElement, type ReactElement } from "react";

export function greeting(user: UserJSON | null): string {
  return user ? `Signed in as ${user.first_name ?? user.id}` : "Signed out";
}

export function start(publishableKey: string): Foyer {
  const foyer = new Foyer(publishableKey, { sessionCookie: false });
  foyer.addListener((state: FoyerState) => {
    if (typeof document !== "undefined") document.title = greeting(state.user);
  });
  return foyer;
}

/** A React front end's root (react-dom's own client would render it; server-app.ts renders one to HTML). */
export function app(publishableKey: string): ReactElement {
  return createElement(FoyerProvider, { publishableKey }, createElement(SignIn, { appName: "Hello" }));
}

const key = (globalThis as { FOYER_PUBLISHABLE_KEY?: string }).FOYER_PUBLISHABLE_KEY;
if (key) {
  const foyer = start(key);
  console.log(
    JSON.stringify({
      frontendApi: foyer.frontendApi,
      errorClass: typeof FoyerError,
      reactRoot: app(key).type === FoyerProvider,
    }),
  );
  foyer.destroy(); // closes its BroadcastChannel, which would keep a Node process (the test's) alive
}
