/**
 * The SDKs as npm users get them: `npm pack` of @foyer/contract, @foyer/backend, @foyer/mcp, @foyer/js and
 * @foyer/react,
 * the tarballs installed in a fresh project outside the monorepo (nothing can resolve through the
 * workspace there), a small app type-checked with NodeNext and Bundler resolution and run against
 * a real Foyer, and the browser front end bundled by esbuild from the installed package.
 *
 * Packs what `npm run build` left in each dist/ (`--ignore-scripts`: the prepack builds would
 * rewrite dist/ under the other test files running beside this one).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { encodePublishableKey } from "@foyer/contract";
import { mintFor } from "@foyer/testkit/backend-sdk";
import { DB_KINDS } from "@foyer/testkit/databases";
import { createTestFoyer } from "@foyer/testkit/harness";
import { createTestInstance } from "@foyer/testkit/instances";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, type PackResult, packWorkspaces, sh } from "./npm.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONSUMER = fileURLToPath(new URL("./consumer/", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const SDKS = ["@foyer/contract", "@foyer/backend", "@foyer/mcp", "@foyer/js", "@foyer/react"] as const;

/** What a file of each package may import besides its own files. */
const ALLOWED_IMPORTS: Record<(typeof SDKS)[number], RegExp> = {
  "@foyer/contract": /^$/,
  "@foyer/backend": /^(node:[a-z/]+|@foyer\/contract)$/,
  // The MCP SDK is an optional peer, imported only by the `@foyer/mcp/sdk` entry point.
  "@foyer/mcp": /^(node:[a-z/]+|@foyer\/(contract|backend)|jose|@modelcontextprotocol\/sdk\/[a-z/]+\.js)$/,
  "@foyer/js": /^@foyer\/contract$/,
  "@foyer/react": /^(@foyer\/(contract|js)|react|react\/jsx-runtime)$/,
};

function exportTargets(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (node && typeof node === "object") return Object.values(node).flatMap(exportTargets);
  return [];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Module specifiers of static imports, re-exports and dynamic imports in JS or .d.ts text. */
function specifiers(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']/g))
    found.add(m[1]!);
  for (const m of text.matchAll(/(?:^|[\s;])import\s*["']([^"']+)["']/g)) found.add(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]!);
  return [...found];
}

let work: string;
let app: string;
let packs: PackResult[];
let compiled: Promise<unknown> | undefined;

/** tsc with NodeNext resolution, emitting out/server-app.js (once; both tests below need it). */
function compileServerApp(): Promise<unknown> {
  compiled ??= sh("node", [TSC, "-p", "tsconfig.nodenext.json"], app);
  return compiled;
}

beforeAll(async () => {
  for (const dir of ["contract", "backend", "mcp", "js", "react"]) {
    if (!existsSync(join(ROOT, "packages", dir, "dist/index.js"))) {
      throw new Error(`packages/${dir}/dist is missing: run \`npm run build\` first`);
    }
  }
  work = mkdtempSync(join(tmpdir(), "foyer-packed-sdks-"));
  // Outside the monorepo, so no node_modules above the app can stand in for a missing dependency.
  expect(relative(ROOT, work).startsWith("..")).toBe(true);
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  packs = await packWorkspaces(ROOT, SDKS, tarballs);

  app = join(work, "app");
  mkdirSync(app);
  const deps = Object.fromEntries(packs.map((p) => [p.name, `file:${join(tarballs, p.filename)}`]));
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "foyer-sdk-consumer",
      private: true,
      type: "module",
      dependencies: { ...deps, react: "^19", "react-dom": "^19" },
      devDependencies: { "@types/node": "^20.19.0", "@types/react": "^19", "@types/react-dom": "^19" },
    }),
  );
  for (const f of readdirSync(CONSUMER)) copyFileSync(join(CONSUMER, f), join(app, f));
  await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm pack of the SDKs", () => {
  it("packs the five SDKs", () => {
    expect(packs.map((p) => p.name).sort()).toEqual([...SDKS].sort());
  });

  it.each(SDKS)(
    "%s ships dist, README and LICENSE only, and every export points at a shipped file",
    (name) => {
      const pack = packs.find((p) => p.name === name)!;
      const files = pack.files.map((f) => f.path);
      expect(files).toEqual(
        expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/index.js"]),
      );
      for (const f of files) {
        expect(f, "only dist/ besides package.json, README.md, LICENSE").toMatch(
          /^(package\.json|README\.md|LICENSE|dist\/.+)$/,
        );
        expect(f).not.toMatch(/(^|\/)src\/|\.test\.|\.tsbuildinfo$|(^|\/)errors-doc\./);
      }
      // A dist/ file whose source is gone (a stale build output) must not ship.
      const pkgDir = join(ROOT, "packages", name.replace("@foyer/", ""));
      for (const f of files) {
        const m = /^dist\/(.+?)\.(js|d\.ts|js\.map)$/.exec(f);
        if (!m || (name === "@foyer/js" && m[1] === "foyer")) continue; // foyer.js: the one-file bundle
        const source = ["ts", "tsx"].some((ext) => existsSync(join(pkgDir, "src", `${m[1]}.${ext}`)));
        expect(source, `${f} has no source in src/`).toBe(true);
      }
      const manifest = JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8"));
      expect(manifest.private).toBeUndefined();
      expect(manifest.license).toBe("MIT");
      expect(manifest.type).toBe("module");
      expect(manifest.exports["."]).toMatchObject({ types: expect.any(String), import: expect.any(String) });
      const targets = [...exportTargets(manifest.exports), manifest.main, manifest.types].map((t: string) =>
        t.replace(/^\.\//, ""),
      );
      for (const t of targets) expect(files, `${name} exports ${t}`).toContain(t);
      for (const range of Object.values<string>(manifest.dependencies ?? {})) {
        expect(range).toMatch(/^\^?\d+\.\d+\.\d+$/); // a registry range: no workspace:, file: or link:
      }
    },
  );

  it.each(SDKS)("%s names no monorepo path and imports only what its package.json declares", (name) => {
    const dir = join(app, "node_modules", name);
    for (const file of walk(dir)) {
      const text = readFileSync(file, "utf8");
      expect(text.includes("packages/"), `${relative(dir, file)} names a packages/ path`).toBe(false);
      expect(text.includes("workspace:"), `${relative(dir, file)} names the workspace protocol`).toBe(false);
      if (!/\.(js|d\.ts)$/.test(file)) continue;
      for (const spec of specifiers(text)) {
        if (spec.startsWith("./") || spec.startsWith("../")) {
          expect(
            resolve(file, "..", spec).startsWith(dir),
            `${relative(dir, file)} imports ${spec}, outside the package`,
          ).toBe(true);
        } else {
          expect(spec, `${relative(dir, file)} imports ${spec}`).toMatch(ALLOWED_IMPORTS[name]);
        }
      }
    }
  });

  it("type-checks the app with NodeNext and with Bundler resolution", async () => {
    await compileServerApp();
    await sh("node", [TSC, "-p", "tsconfig.bundler.json"], app);
    expect(existsSync(join(app, "out/server-app.js"))).toBe(true);
  }, 120_000);

  it("bundles the browser app from the installed @foyer/js and @foyer/react with esbuild, and the bundle runs", async () => {
    const { build } = await import("esbuild");
    const outfile = join(app, "out/browser-bundle.mjs");
    await build({
      absWorkingDir: app,
      entryPoints: [join(app, "browser-app.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outfile,
      // As Vite and webpack do for a production build (React's development build quotes import examples).
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "silent",
    });
    const bundle = readFileSync(outfile, "utf8");
    expect(specifiers(bundle), "the bundle resolved every import").toEqual([]);
    const pk = encodePublishableKey("development", "http://127.0.0.1:9/fapi/ins_x");
    const out = await sh(
      "node",
      [
        "--input-type=module",
        "-e",
        `globalThis.FOYER_PUBLISHABLE_KEY = ${JSON.stringify(pk)}; await import(${JSON.stringify(outfile)});`,
      ],
      app,
    );
    expect(JSON.parse(out.stdout)).toEqual({
      frontendApi: "http://127.0.0.1:9/fapi/ins_x",
      errorClass: "function",
      reactRoot: true,
    });
  }, 60_000);
});

describe.each(DB_KINDS)("the installed SDKs against a real Foyer (%s)", (kind) => {
  it("verifies a session token three ways, authenticates requests, lists users through the Backend API", async () => {
    await compileServerApp();
    const foyer = await createTestFoyer(kind, { listen: true });
    try {
      const t = await createTestInstance(foyer);
      const pem = await t.publicKeyPem();
      // Minted last: a session token lives 60 s.
      const minted = await mintFor(foyer, t);
      const { stdout } = await sh(
        "node",
        ["out/server-app.js"],
        app,
        cleanEnv({
          FOYER_API_URL: foyer.svc.config.publicUrl,
          FOYER_SECRET_KEY: t.secretKey,
          FOYER_PUBLISHABLE_KEY: t.publishableKey,
          FOYER_JWT_KEY: pem,
          SESSION_TOKEN: minted.jwt,
        }),
      );
      const seen = JSON.parse(stdout);
      expect(seen.subs).toEqual([minted.userId, minted.userId, minted.userId]);
      expect(seen.sid).toBe(minted.sessionId);
      expect(seen.refused).toBe("token_malformed");
      expect(seen.fromRequest).toBe(minted.userId);
      expect(seen.viaMiddleware).toMatchObject({ status: "signed-in", userId: minted.userId });
      expect(seen.userIds).toEqual([minted.userId]);
      expect(seen.totalCount).toBe(1);
      expect(seen.firstName).toBe("Ada");
      expect(seen.wrongKeyIsCatalogued, `wrong secret key gave ${seen.wrongKey}`).toBe(true);
      expect(seen.frontendApi).toBe(t.instance.frontend_api_url);
      expect(seen.browserView).toEqual({ id: minted.userId });
      expect(seen.signInCard).toBe(true);
    } finally {
      await foyer.close();
    }
  }, 60_000);
});
