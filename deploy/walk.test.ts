/**
 * docs/deploy.md, walked: every block marked `sh walk` runs, in order, in bash, with the guide's
 * names (its first block) set to this machine's: a fresh PostgreSQL database, a temporary
 * /etc/foyer, free ports. Where the guide hands over to systemd, Foyer starts the way
 * deploy/foyer.service says (its EnvironmentFile, ExecStart and Environment, without the
 * sandbox); where it hands over to nginx, deploy/nginx/foyer.conf runs in front. Not walked (no
 * block marker): installing packages, creating system users, systemd itself, the container.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { postgresUrl } from "@foyer/testkit/databases";
import { type DeployedFoyer, ENTRYPOINT, startDeployedFoyer } from "@foyer/testkit/deployed-foyer";
import { freePort } from "@foyer/testkit/foyer-cli";
import { type RunningNginx, startNginx } from "@foyer/testkit/nginx";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const GUIDE = readFileSync(join(ROOT, "docs/deploy.md"), "utf8");
const UNIT = readFileSync(join(ROOT, "deploy/foyer.service"), "utf8");

/** The guide's `sh walk` blocks, in order. */
function walkedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh walk\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** `NAME=value  # comment` lines of the guide's first block. */
function settingNames(block: string): string[] {
  return block
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const m = /^([A-Z_]+)=\S+\s*(#.*)?$/.exec(line);
      if (!m) throw new Error(`the guide's first walked block must only set names, got: ${line}`);
      return m[1]!;
    });
}

/** The unit's `Key=value` lines (the last one of a key wins, as in systemd for these keys). */
function unitSetting(key: string): string[] {
  return [...UNIT.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]!);
}

describe.skipIf(!postgresUrl)("docs/deploy.md, walked on this machine", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-walk-"));
  const pg = new URL(postgresUrl ?? "postgres://127.0.0.1:5432/");
  const database = `foyer_walk_${randomBytes(6).toString("hex")}`;
  let foyer: DeployedFoyer | undefined;
  let nginx: RunningNginx | undefined;

  afterAll(async () => {
    await foyer?.stop();
    await nginx?.close();
    spawnSync("dropdb", [
      "-h",
      pg.hostname,
      "-p",
      pg.port || "5432",
      "-U",
      "postgres",
      "--if-exists",
      database,
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs every walked block, starts Foyer as the unit does, and answers through nginx", {
    timeout: 90_000,
  }, async () => {
    const blocks = walkedBlocks(GUIDE);
    expect(blocks.length).toBe(6);
    const settings: Record<string, string> = {
      FOYER_DIR: ROOT,
      FOYER_ETC: join(dir, "etc-foyer"),
      FOYER_DOMAIN: "",
      FOYER_PORT: String(await freePort()),
      FOYER_DB: database,
      FOYER_DB_USER: "postgres",
      PGHOST: pg.hostname,
    };
    // A name the guide adds must be given a value here, and a name it drops must go.
    expect(settingNames(blocks[0]!).sort()).toEqual(Object.keys(settings).sort());
    const httpsPort = await freePort();
    settings.FOYER_DOMAIN = `localhost:${httpsPort}`;
    const preamble = Object.entries(settings)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n");

    const run = (block: string) => {
      const result = spawnSync("bash", ["-euo", "pipefail", "-c", `${preamble}\n${block}`], {
        cwd: dir,
        encoding: "utf8",
        env: {
          PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
          PGPORT: pg.port || "5432",
          // curl trusts the test's self-signed certificate, and only it.
          ...(nginx ? { CURL_CA_BUNDLE: nginx.certificatePath } : {}),
        },
      });
      if (result.status !== 0) {
        throw new Error(
          `a walked block failed (${result.status}):\n${block}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
        );
      }
      return result.stdout;
    };

    const outputs: string[] = [];
    for (const block of blocks.slice(1)) {
      // The guide's prose between blocks: systemd starts Foyer, then nginx goes in front.
      if (block.includes("http://127.0.0.1:$FOYER_PORT") && !foyer)
        foyer = await startAsTheUnitDoes(settings);
      if (block.includes("https://$FOYER_DOMAIN") && !nginx) {
        nginx = await startNginx({
          upstreamPort: Number(settings.FOYER_PORT),
          httpsPort,
          httpPort: await freePort(),
        });
      }
      outputs.push(run(block));
    }
    expect(foyer, "no walked block checks Foyer on its port").toBeDefined();
    expect(nginx, "no walked block goes through nginx").toBeDefined();

    // The environment file the guide wrote: root-only, production, the secrets generated.
    const envFile = join(settings.FOYER_ETC!, "foyer.env");
    expect(readFileSync(envFile, "utf8")).toMatch(/^FOYER_ENCRYPTION_KEY=[A-Za-z0-9+/]{43}=$/m);
    expect(spawnSync("stat", ["-c", "%a", envFile], { encoding: "utf8" }).stdout.trim()).toBe("600");
    // migrate on the empty database, then ready on loopback and through nginx, and the platform token works.
    expect(outputs[2]).toMatch(/Applied: /);
    expect(JSON.parse(outputs[3]!)).toEqual({ status: "ready" });
    const [ready, apps] = outputs[4]!.trim().split("\n");
    expect(JSON.parse(ready!)).toEqual({ status: "ready" });
    expect(JSON.parse(apps!)).toMatchObject({ data: [], total_count: 0 });
    expect(foyer!.stdout()).toContain(`Foyer is ready at https://${settings.FOYER_DOMAIN}`);

    // The image's HEALTHCHECK command, run here: healthy against this Foyer, unhealthy on a port
    // nothing answers. (The image itself is not built in CI; its ENTRYPOINT is the script above.)
    const dockerfile = readFileSync(join(ROOT, "deploy/Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/app\/deploy\/docker-entrypoint\.sh"\]$/m);
    const check = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile);
    expect(check, "deploy/Dockerfile has no HEALTHCHECK … CMD [...]").not.toBeNull();
    const [bin, ...checkArgs] = JSON.parse(check![1]!) as string[];
    const probe = (port: string) =>
      spawnSync(bin === "node" ? process.execPath : bin!, checkArgs, { env: { PORT: port }, timeout: 10_000 })
        .status;
    expect(probe(settings.FOYER_PORT!)).toBe(0);
    expect(probe(String(await freePort()))).toBe(1);
  });

  /** EnvironmentFile, Environment and ExecStart of deploy/foyer.service, paths moved to the test's. */
  async function startAsTheUnitDoes(settings: Record<string, string>): Promise<DeployedFoyer> {
    const moved = (text: string) =>
      text
        .replaceAll("/etc/foyer", settings.FOYER_ETC!)
        .replaceAll("/var/lib/foyer", join(dir, "state"))
        .replaceAll("/opt/foyer", ROOT);
    const systemdAnalyze = spawnSync("systemd-analyze", ["--version"]);
    if (systemdAnalyze.status === 0) {
      const copy = join(dir, "foyer.service");
      writeFileSync(copy, moved(UNIT));
      execFileSync("systemd-analyze", ["verify", copy], { stdio: "pipe" });
    }
    const [envFile] = unitSetting("EnvironmentFile").map(moved);
    const env: Record<string, string> = {};
    for (const line of readFileSync(envFile!, "utf8").split("\n")) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) env[m[1]!] = m[2]!;
    }
    for (const assignment of unitSetting("Environment").map(moved)) {
      const [key, ...value] = assignment.split("=");
      env[key!] = value.join("=");
    }
    const [command, ...args] = moved(unitSetting("ExecStart")[0]!).split(/\s+/);
    expect(command).toBe(ENTRYPOINT);
    return startDeployedFoyer(env, args);
  }
});
