import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERRORS } from "./errors.js";
import { ERRORS_DOC_COMMAND, renderErrorsDoc } from "./errors-doc.js";

const DOC = new URL("../../../docs/errors.md", import.meta.url);

describe("docs/errors.md", () => {
  it("is what the catalogue renders", () => {
    const committed = existsSync(DOC) ? readFileSync(DOC, "utf8") : "";
    expect(committed === renderErrorsDoc(), `docs/errors.md is stale: run \`${ERRORS_DOC_COMMAND}\``).toBe(
      true,
    );
  });

  it("lists every code once, with its status and message", () => {
    const doc = renderErrorsDoc();
    for (const [code, { status, message }] of Object.entries(ERRORS)) {
      const rows = doc.split("\n").filter((line) => line.startsWith(`| \`${code}\` |`));
      expect(rows).toEqual([`| \`${code}\` | ${status} | ${message.replace(/\|/g, "\\|")} |`]);
    }
  });
});
