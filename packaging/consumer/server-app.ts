/**
 * An app server as a user writes it after `npm i @foyer/backend @foyer/js`: it is copied into a
 * fresh project outside the monorepo by packed-sdks.test.ts, type-checked against the installed
 * tarballs and run against a real Foyer. It prints one JSON line of what it saw.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  authenticateRequest,
  createFoyerClient,
  FoyerApiError,
  type FoyerExpressRequest,
  foyerExpress,
  type SessionTokenClaims,
  TokenVerificationError,
  type User,
  verifyToken,
} from "@foyer/backend";
import { ERRORS } from "@foyer/contract";
// The browser SDK's types (and its key parser) are what a server shares with its front end.
import { parsePublishableKey, type UserJSON } from "@foyer/js";
import { FoyerProvider, SignIn, useAuth } from "@foyer/react";
import { createElement } from "react";
import { renderToString } from "react-dom/server";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const apiUrl = env("FOYER_API_URL");
const secretKey = env("FOYER_SECRET_KEY");
const publishableKey = env("FOYER_PUBLISHABLE_KEY");
const jwtKey = env("FOYER_JWT_KEY");
const token = env("SESSION_TOKEN");

// Three key sources: the PEM (no network), the Backend API's JWKS, the Frontend API's JWKS.
const byPem: SessionTokenClaims = await verifyToken(token, { jwtKey });
const bySecretKey = await verifyToken(token, { secretKey, apiUrl });
const byPublishableKey = await verifyToken(token, { publishableKey });

const refused = await verifyToken("not.a.token", { jwtKey }).then(
  () => "accepted",
  (err: unknown) => (err instanceof TokenVerificationError ? err.code : `unexpected ${String(err)}`),
);

const fromRequest = await authenticateRequest(
  new Request("http://app.test/", { headers: { authorization: `Bearer ${token}` } }),
  { jwtKey },
);

// The Express/Connect middleware on a plain node:http server, reading the __session cookie.
const middleware = foyerExpress({ jwtKey });
const server = createServer((req, res) => {
  middleware(req, res, (err) => {
    const auth = (req as FoyerExpressRequest).auth;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(err ? { error: String(err) } : auth));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
const viaMiddleware = await (
  await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: `__session=${token}` } })
).json();
await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));

const foyer = createFoyerClient({ secretKey, apiUrl });
const users = await foyer.users.getUserList({ limit: 10 });
const user: User = await foyer.users.getUser(byPem.sub);

const wrongKey = await createFoyerClient({ secretKey: "sk_test_not_a_real_key", apiUrl })
  .users.getUserList()
  .then(
    () => "accepted",
    (err: unknown) => (err instanceof FoyerApiError ? err.code : `unexpected ${String(err)}`),
  );

const browserView: Pick<UserJSON, "id"> = { id: user.id };

// A server-rendered React page's first HTML: the sign-in card, disabled until Foyer loads in the browser.
function Page() {
  const { isLoaded } = useAuth();
  return createElement(
    "main",
    { "data-loaded": String(isLoaded) },
    createElement(SignIn, { appName: "Hello" }),
  );
}
const firstHtml = renderToString(createElement(FoyerProvider, { publishableKey }, createElement(Page)));

console.log(
  JSON.stringify({
    subs: [byPem.sub, bySecretKey.sub, byPublishableKey.sub],
    sid: byPem.sid,
    refused,
    fromRequest: fromRequest.status === "signed-in" ? fromRequest.userId : fromRequest.reason,
    viaMiddleware,
    userIds: users.data.map((u) => u.id),
    totalCount: users.totalCount,
    firstName: user.first_name,
    wrongKey,
    wrongKeyIsCatalogued: wrongKey in ERRORS,
    frontendApi: parsePublishableKey(publishableKey)?.frontendApiUrl,
    browserView,
    signInCard: firstHtml.includes('data-loaded="false"') && firstHtml.includes("Continue with Atlassian"),
  }),
);
