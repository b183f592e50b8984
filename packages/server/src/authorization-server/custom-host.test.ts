/**
 * An instance on a Frontend API host of its own (the host router rewrites it onto /fapi/<id>):
 * the issuer is that origin, with no path, and oidc-provider must see paths under it unchanged.
 */
import { codeFlow, exchangeCode } from "@foyer/testkit/authorization-server";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { signInTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInstance } from "../instances/instances.js";

describe.each(DB_KINDS)("the authorization server on an instance's own host (%s)", (kind) => {
  let foyer: EmulatedFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer(kind, { listen: true });
    const port = new URL(foyer.svc.config.publicUrl).port;
    const app = await (
      await foyer.platform("/applications", { method: "POST", json: { name: "Own host" } })
    ).json();
    const created = await (
      await foyer.platform(`/applications/${app.id}/instances`, {
        method: "POST",
        json: { environment: "production", frontend_api_url: `http://localhost:${port}` },
      })
    ).json();
    const instance = await getInstance(foyer.svc, created.id);
    t = { id: instance.id, instance, fapiPath: "/" } as TestInstance;
  });
  afterAll(() => foyer.close());

  it("has the bare origin as issuer and runs the code flow under it", async () => {
    const issuer = t.instance.frontend_api_url;
    expect(new URL(issuer).pathname).toBe("/");
    const doc = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
    expect(doc.issuer).toBe(issuer);
    expect(doc.token_endpoint).toBe(`${issuer}/oauth/token`);
    const s = await signInTestUser(foyer, t.instance);
    const flow = await codeFlow(foyer, t, { clientToken: s.clientToken });
    expect(flow.outcome.consentPages).toHaveLength(1);
    expect(flow.outcome.callback?.searchParams.get("iss")).toBe(issuer);
    const tokens = await exchangeCode(t, flow);
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toBeTypeOf("string");
  });
});
