/**
 * Organization logos (Clerk's `PUT` / `DELETE /v1/organizations/{id}/logo`) on both databases:
 * the type read from the bytes (never the claim), the size limit, storage in the database, the
 * public URL serving the stored type with nosniff, replacement and deletion, the instance scope.
 */
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance, insertTestUser, type TestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "../events/outbox.js";
import { MAX_LOGO_BYTES, sniffImageType } from "./organization-logos.js";
import { insertOrganization } from "./organizations.js";

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(40, 7)]);
const JPEG = Buffer.concat([Buffer.from("ffd8ffe000104a464946", "hex"), Buffer.alloc(40, 1)]);
const GIF = Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(40, 2)]);
const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([40, 0, 0, 0]),
  Buffer.from("WEBPVP8 "),
  Buffer.alloc(40, 3),
]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = Buffer.from("<!doctype html><script>alert(document.cookie)</script>");

describe("sniffImageType", () => {
  it("knows the four raster formats by their bytes and nothing else", () => {
    expect([PNG, JPEG, GIF, WEBP].map((b) => sniffImageType(b))).toEqual([
      "image/png",
      "image/jpeg",
      "image/gif",
      "image/webp",
    ]);
    for (const other of [SVG, HTML, Buffer.from("RIFF0000WAVEfmt "), Buffer.alloc(0), PNG.subarray(0, 4)]) {
      expect(sniffImageType(other)).toBeUndefined();
    }
  });
});

describe.each(DB_KINDS)("organization logos (%s)", (kind) => {
  let foyer: TestFoyer;
  let t: TestInstance;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    t = await createTestInstance(foyer);
  });
  afterAll(() => foyer?.close());

  const auth = (key = t.secretKey) => ({ authorization: `Bearer ${key}` });
  const newOrg = async (name: string, key = t.secretKey) =>
    (
      await foyer.request("/v1/organizations", {
        method: "POST",
        headers: { ...auth(key), "content-type": "application/json" },
        body: JSON.stringify({ name }),
      })
    ).json();
  const upload = (
    orgId: string,
    bytes: Uint8Array,
    opts: { type?: string; uploader?: string; key?: string } = {},
  ) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)], { type: opts.type ?? "image/png" }), "logo.png");
    if (opts.uploader) form.append("uploader_user_id", opts.uploader);
    return foyer.request(`/v1/organizations/${orgId}/logo`, {
      method: "PUT",
      headers: auth(opts.key),
      body: form,
    });
  };
  const codeOf = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code;
  const logoRows = () => foyer.svc.db.kysely.selectFrom("organization_logos").selectAll().execute();

  it("stores an upload and serves it at its URL with the sniffed type, nosniff and a sandbox", async () => {
    const org = await newOrg("Logo One");
    expect(org).toMatchObject({ has_image: false, image_url: "" });
    const uploader = await insertTestUser(foyer, t.instance);
    // The claimed type is wrong on purpose: the bytes decide.
    const res = await upload(org.id, PNG, { type: "text/html", uploader: uploader.id });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.has_image).toBe(true);
    expect(json.image_url).toMatch(
      new RegExp(`^${foyer.svc.config.publicUrl}/organization_logos/img_[a-z0-9]+$`),
    );
    const served = await foyer.request(json.image_url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(served.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    const types = (await listEvents(foyer.svc.db.kysely, t.id, { limit: 10 })).map((e) => e.type);
    expect(types[0]).toBe("organization.updated");

    for (const [bytes, type] of [
      [JPEG, "image/jpeg"],
      [GIF, "image/gif"],
      [WEBP, "image/webp"],
    ] as const) {
      const url = (await (await upload(org.id, bytes, { type: "application/octet-stream" })).json())
        .image_url;
      expect((await foyer.request(url)).headers.get("content-type")).toBe(type);
    }
    // Replaced: one stored logo, the earlier URL gone.
    expect((await foyer.request(json.image_url)).status).toBe(404);
    expect((await logoRows()).filter((r) => r.organization_id === org.id)).toHaveLength(1);
  });

  it("refuses what is not a PNG, JPEG, GIF or WebP, whatever it claims, and stores nothing", async () => {
    const org = await newOrg("Logo Refusals");
    for (const bytes of [SVG, HTML, Buffer.from("not an image")]) {
      const res = await upload(org.id, bytes, { type: "image/png" });
      expect(res.status).toBe(422);
      expect(await codeOf(res)).toBe("organization_logo_unsupported");
    }
    const json = await foyer.request(`/v1/organizations/${org.id}/logo`, {
      method: "PUT",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ file: PNG.toString("base64") }),
    });
    expect(json.status).toBe(415);
    const noFile = new FormData();
    noFile.append("file", "just text");
    const missing = await foyer.request(`/v1/organizations/${org.id}/logo`, {
      method: "PUT",
      headers: auth(),
      body: noFile,
    });
    expect(await codeOf(missing)).toBe("form_param_missing");
    const nobody = await upload(org.id, PNG, { uploader: "user_nobody" });
    expect(nobody.status).toBe(404);
    expect((await logoRows()).some((r) => r.organization_id === org.id)).toBe(false);
  });

  it("takes up to 1 MB, refuses more with its own code, and keeps the 100 KB cap elsewhere", async () => {
    const org = await newOrg("Logo Sizes");
    const exact = Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES - PNG.length, 9)]);
    expect((await upload(org.id, exact)).status).toBe(200);
    const url = (await (await foyer.request(`/v1/organizations/${org.id}`, { headers: auth() })).json())
      .image_url;
    expect(Buffer.from(await (await foyer.request(url)).arrayBuffer()).equals(exact)).toBe(true);
    for (const size of [MAX_LOGO_BYTES + 1, 3 * MAX_LOGO_BYTES]) {
      const res = await upload(org.id, Buffer.concat([PNG, Buffer.alloc(size - PNG.length)]));
      expect(res.status, String(size)).toBe(413);
      expect(await codeOf(res)).toBe("organization_logo_too_large");
    }
    // Only the upload route has the larger cap.
    const big = await foyer.request(`/v1/organizations/${org.id}`, {
      method: "PATCH",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(200 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(await codeOf(big)).toBe("request_body_too_large");
  });

  it("deletes the logo; a site organization shows its site's avatar again", async () => {
    const org = await newOrg("Logo Delete");
    const { image_url: url } = await (await upload(org.id, PNG)).json();
    const del = await foyer.request(`/v1/organizations/${org.id}/logo`, {
      method: "DELETE",
      headers: auth(),
    });
    expect(await del.json()).toMatchObject({ has_image: false, image_url: "" });
    expect((await foyer.request(url)).status).toBe(404);
    // Again: nothing to delete, the same answer.
    expect(
      (await foyer.request(`/v1/organizations/${org.id}/logo`, { method: "DELETE", headers: auth() })).status,
    ).toBe(200);

    const avatar = "https://site-admin.atlassian.com/avatar/acme.png";
    const site = await insertOrganization(foyer.svc.db.kysely, t.id, foyer.svc.now(), {
      name: "Acme Site",
      site: {
        cloudId: "cloud-logo-test",
        url: "https://acme-logo.atlassian.net",
        name: "Acme",
        avatarUrl: avatar,
      },
    });
    const get = async () => (await foyer.request(`/v1/organizations/${site.id}`, { headers: auth() })).json();
    expect(await get()).toMatchObject({ image_url: avatar, has_image: true });
    const uploaded = await (await upload(site.id, GIF)).json();
    expect(uploaded.image_url).toContain("/organization_logos/");
    await foyer.request(`/v1/organizations/${site.id}/logo`, { method: "DELETE", headers: auth() });
    expect(await get()).toMatchObject({ image_url: avatar, has_image: true });
  });

  it("goes with its organization", async () => {
    const org = await newOrg("Logo Gone");
    const { image_url: url } = await (await upload(org.id, PNG)).json();
    await foyer.request(`/v1/organizations/${org.id}`, { method: "DELETE", headers: auth() });
    expect((await foyer.request(url)).status).toBe(404);
    expect((await logoRows()).some((r) => r.organization_id === org.id)).toBe(false);
  });

  it("never touches another instance's organization", async () => {
    const other = await createTestInstance(foyer);
    const theirs = await newOrg("Their Logo", other.secretKey);
    expect((await upload(theirs.id, PNG)).status).toBe(404);
    const del = await foyer.request(`/v1/organizations/${theirs.id}/logo`, {
      method: "DELETE",
      headers: auth(),
    });
    expect(del.status).toBe(404);
    expect((await upload(theirs.id, PNG, { key: other.secretKey })).status).toBe(200);
  });
});
