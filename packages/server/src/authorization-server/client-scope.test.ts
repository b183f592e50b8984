import { describe, expect, it } from "vitest";
import { oidcScopeOnly, registrationBody } from "./client-scope.js";

describe("a client's scope metadata", () => {
  it("keeps the OpenID scopes only", () => {
    expect(oidcScopeOnly("openid mcp:tools profile openid")).toBe("openid profile");
    expect(oidcScopeOnly("mcp:tools")).toBeUndefined();
    expect(oidcScopeOnly(42)).toBeUndefined();
  });

  it("rewrites a registration's scope and leaves other bodies alone", () => {
    const out = JSON.parse(
      registrationBody(Buffer.from('{"scope":"mcp:tools","client_name":"x"}')).toString(),
    );
    expect(out).toEqual({ client_name: "x" });
    expect(registrationBody(Buffer.from("not json")).toString()).toBe("not json");
    expect(registrationBody(Buffer.from('{"client_name":"x"}')).toString()).toBe('{"client_name":"x"}');
  });
});
