import { ERRORS } from "./errors.js";

/** The command that rewrites docs/errors.md; the staleness test names it. */
export const ERRORS_DOC_COMMAND = "npm run docs:errors";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/**
 * docs/errors.md, rendered from the catalogue so the page can never list a code the server
 * does not have (or miss one it does).
 */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERRORS).map(
    ([code, { status, message }]) => `| \`${code}\` | ${status} | ${cell(message)} |`,
  );
  return [
    "# Errors",
    "",
    `<!-- Generated from packages/contract/src/errors.ts by \`${ERRORS_DOC_COMMAND}\`. Do not edit. -->`,
    "",
    "Every error answer of the Frontend, Backend and Platform APIs has this shape, with one of the",
    "codes below (`meta.param_name` names the request field at fault, when there is one):",
    "",
    "```json",
    '{ "errors": [{ "code": "form_param_invalid", "message": "…", "long_message": "…", "meta": { "param_name": "username" } }] }',
    "```",
    "",
    "Codes are stable: a code is renamed only with a major version. `message` is the text below;",
    "`long_message` may say more about this particular failure.",
    "",
    "| code | HTTP status | message |",
    "|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
