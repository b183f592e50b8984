import { createEmulatedFoyer, type EmulatedFoyer } from "@foyer/testkit/emulated-foyer";
import { createTestInstance, signInTestUser } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getInstance } from "../../instances/instances.js";

describe("Hosted pages", () => {
  let foyer: EmulatedFoyer;
  let instanceId: string;
  beforeAll(async () => {
    foyer = await createEmulatedFoyer("sqlite");
    instanceId = (await createTestInstance(foyer, { name: `Tom & "Jerry" <b>` })).id;
  });
  afterAll(() => foyer.close());

  it("ships its CSS and script unescaped, under a nonce, and escapes the app's name", async () => {
    const res = await foyer.request(`/fapi/${instanceId}/sign-in?auto=1`);
    const html = await res.text();
    const nonce = /style-src 'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1];
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).toContain('"Segoe UI"');
    expect(html).toContain('document.getElementById("sign-in").submit();');
    expect(html).toContain("Tom &amp; &quot;Jerry&quot; &lt;b&gt;");
    expect(html).not.toContain("<b>");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("shows only known error codes, in words", async () => {
    const known = await (
      await foyer.request(`/fapi/${instanceId}/sign-in?error=atlassian_site_required`)
    ).text();
    expect(known).toContain("at least one Atlassian site");
    const unknown = await (await foyer.request(`/fapi/${instanceId}/sign-in?error=%3Cscript%3E`)).text();
    expect(unknown).not.toContain('role="alert"');
    expect(unknown).not.toContain("<script>");
  });

  it("links the signed-in page back to the app (the after-sign-in URL), when there is one", async () => {
    const instance = await getInstance(foyer.svc, instanceId);
    const s = await signInTestUser(foyer, instance);
    const page = async () =>
      (await foyer.request(`/fapi/${instanceId}/signed-in`, { headers: { cookie: s.cookie } })).text();
    expect(await page()).not.toContain('data-testid="back-to-app"');
    await foyer.platform(`/instances/${instanceId}`, {
      method: "PATCH",
      json: { after_sign_in_url: "http://localhost:5173/home" },
    });
    expect(await page()).toMatch(
      /<a class="btn" href="http:\/\/localhost:5173\/home" data-testid="back-to-app">/,
    );
  });
});
