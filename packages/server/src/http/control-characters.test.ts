import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** NUL and other control characters never reach SQL (PostgreSQL answered them with a 500). */
describe.each(DB_KINDS)("control characters in ids and bodies (%s)", (kind) => {
  let foyer: TestFoyer;
  let secretKey: string;
  beforeAll(async () => {
    foyer = await createTestFoyer(kind);
    ({ secretKey } = await createTestInstance(foyer));
  });
  afterAll(() => foyer.close());

  const backend = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    foyer.request(path, { ...init, headers: { authorization: `Bearer ${secretKey}` } });

  it("answers 400 request_characters_invalid for a NUL in a path id or a query value", async () => {
    for (const path of [
      "/v1/users/user_1%00",
      "/v1/sessions/sess%00x",
      "/v1/users?user_id=a%00b",
      "/v1/users/%E0%A4%A",
    ]) {
      const res = await backend(path);
      expect(res.status, path).toBe(400);
      expect((await res.json()).errors[0].code).toBe("request_characters_invalid");
    }
  });

  it("answers 422 for a NUL inside a JSON body and writes nothing", async () => {
    const res = await foyer.platform("/applications", { method: "POST", json: { name: "bad\u0000name" } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].code).toBe("form_param_invalid");
    const apps = await (await foyer.platform("/applications")).json();
    expect(JSON.stringify(apps)).not.toContain("bad");
  });
});
