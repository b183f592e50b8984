/**
 * The import rule of DESIGN.md, checked by `npm test` (`npm run lint:imports`).
 *
 * Inside packages/server/src imports point one way:
 *   http/ (every way in) and cli/  →  domain folders  →  providers/atlassian/  →  base
 * where base is db/, crypto/, errors/, limits/, config, log, services, bootstrap and @foyer/contract.
 * Only http/ and cli/ know Hono; no circles anywhere; production code never imports the test
 * harness; the SDKs and the contract never import the server.
 */
const SERVER = "^packages/server/src/";
const DOMAIN = `${SERVER}(oauth|external-accounts|tokens|sessions|users|instances|connections|operators|organizations|events|authorization-server)/`;
const PROVIDERS = `${SERVER}providers/`;
const BASE = `${SERVER}(db/|crypto/|errors/|limits/|net/|config\\.ts|log\\.ts|services\\.ts|bootstrap\\.ts|same-shape\\.ts)`;
const ENTRIES = `${SERVER}(http|cli)/`;
const TESTS = "\\.(test|browser\\.test)\\.tsx?$";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle: split the shared part into the lower module.",
      from: { pathNot: TESTS },
      to: { circular: true },
    },
    {
      name: "base-imports-only-base",
      severity: "error",
      comment:
        "db/, crypto/, errors/, limits/, config, log and services sit at the bottom: they import no Foyer layer above them.",
      from: { path: BASE, pathNot: TESTS },
      to: { path: `${PROVIDERS}|${DOMAIN}|${ENTRIES}` },
    },
    {
      name: "providers-below-domain",
      severity: "error",
      comment: "providers/atlassian is Atlassian's data and quirks: it knows no Foyer domain, route or CLI.",
      from: { path: PROVIDERS, pathNot: TESTS },
      to: { path: `${DOMAIN}|${ENTRIES}` },
    },
    {
      name: "domain-below-http",
      severity: "error",
      comment: "Domain folders are called by http/ and cli/, never the other way round.",
      from: { path: DOMAIN, pathNot: TESTS },
      to: { path: ENTRIES },
    },
    {
      name: "only-http-and-cli-know-hono",
      severity: "error",
      comment: "Domain code takes plain values and web-standard Request/Response, never Hono's Context.",
      from: { path: SERVER, pathNot: `${ENTRIES}|${TESTS}` },
      to: { path: "(^|/)node_modules/(hono|@hono)/" },
    },
    {
      name: "routes-run-no-sql",
      severity: "error",
      comment:
        "Domain code owns its SQL: http/ calls a domain function instead of importing the query builder.",
      from: { path: `${SERVER}http/`, pathNot: TESTS },
      to: { path: "(^|/)node_modules/kysely/" },
    },
    {
      name: "no-test-harness-in-production",
      severity: "error",
      comment: "The test harness (packages/testkit) is private and never part of a build.",
      from: { path: "^(packages|examples)/[^/]+/src/", pathNot: `${TESTS}|^packages/testkit/` },
      to: { path: "^packages/testkit/" },
    },
    {
      name: "sdks-stand-alone",
      severity: "error",
      comment:
        "An app installs an SDK without the monorepo: SDKs import the contract, never the server or the emulator.",
      from: { path: "^packages/(backend|js|contract|react|mcp)/src/", pathNot: TESTS },
      to: { path: "^packages/(server|atlassian-emulator|testkit)/" },
    },
    {
      name: "contract-has-no-dependencies",
      severity: "error",
      comment: "The contract is shapes and one codec, shared by browser and server: no runtime dependency.",
      from: { path: "^packages/contract/src/", pathNot: TESTS },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "core"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(packages|examples)/[^/]+/dist/" },
    tsConfig: { fileName: "tsconfig.test.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      extensions: [".ts", ".tsx", ".js", ".d.ts"],
      mainFields: ["types", "module", "main"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
