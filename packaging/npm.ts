/**
 * What the packaging tests share: npm and node run as a user would run them (outside the
 * monorepo's environment), and `npm pack` of the SDK workspaces.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PackResult {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

/**
 * The child npm must not inherit `npm test`'s npm_config_* (npm_config_local_prefix would point
 * it back at the monorepo).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs a command; a failure names it and carries its output. */
export async function sh(cmd: string, args: string[], cwd: string, env = cleanEnv()) {
  try {
    return await run(cmd, args, { cwd, env, maxBuffer: 32 * 1024 * 1024, timeout: 180_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`,
    );
  }
}

/**
 * `npm pack` of the named workspaces into `dest`, from what `npm run build` left in each dist/
 * (`--ignore-scripts`: the prepack builds would rewrite dist/ under the other test files running
 * beside this one).
 */
export async function packWorkspaces(root: string, names: readonly string[], dest: string) {
  const workspaces = names.flatMap((name) => ["-w", name]);
  const packed = await sh(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", dest, ...workspaces],
    root,
  );
  return JSON.parse(packed.stdout) as PackResult[];
}
