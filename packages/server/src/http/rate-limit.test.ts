import { createTestFoyer, type TestFoyer } from "@foyer/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Limits apply to requests that came over a socket, so this Foyer listens for real.
describe("Rate limits", () => {
  let foyer: TestFoyer;
  let instanceId: string;
  let secretKey: string;
  let otherKey: string;

  beforeAll(async () => {
    foyer = await createTestFoyer("sqlite", {
      listen: true,
      env: { FOYER_RATE_LIMIT_FRONTEND_PER_MINUTE: "5", FOYER_RATE_LIMIT_BACKEND_PER_MINUTE: "3" },
    });
    const keyOf = async () => {
      const app = await (
        await foyer.platform("/applications", { method: "POST", json: { name: "Limited" } })
      ).json();
      const id = app.instances[0].id as string;
      return {
        id,
        key: (await (await foyer.platform(`/instances/${id}/secret_keys`)).json()).data[0].key as string,
      };
    };
    ({ id: instanceId, key: secretKey } = await keyOf());
    otherKey = (await keyOf()).key;
  });
  afterAll(() => foyer.close());

  const url = (path: string) => `${foyer.svc.config.publicUrl}${path}`;

  it("limits the Frontend API per client IP with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(url(`/fapi/${instanceId}/.well-known/jwks.json`));
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await last!.json()).errors[0].code).toBe("rate_limited");
  });

  it("limits the Backend API per instance, leaving other instances alone", async () => {
    const get = (key: string) => fetch(url("/v1/jwks"), { headers: { authorization: `Bearer ${key}` } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(secretKey)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get(otherKey)).status).toBe(200);
  });
});
