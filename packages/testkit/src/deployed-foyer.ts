/**
 * Foyer as the deploy guide runs it: deploy/docker-entrypoint.sh (migrate, then start), the same
 * script the container's ENTRYPOINT and the systemd unit run, with the environment a test gives
 * it and nothing inherited but PATH. stdout and stderr are kept apart: the banner is the one,
 * the JSON logs the other.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";

export const ENTRYPOINT = resolve(import.meta.dirname, "../../../deploy/docker-entrypoint.sh");

export interface DeployedFoyer {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the entry point and resolves once Foyer printed its ready line. */
export async function startDeployedFoyer(
  env: Record<string, string>,
  args: string[] = [],
): Promise<DeployedFoyer> {
  // The script calls `node`: the one running the tests.
  const path = `${dirname(process.execPath)}:${process.env.PATH ?? ""}`;
  const proc = spawn(ENTRYPOINT, args, { env: { PATH: path, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (d) => {
    out += d;
  });
  proc.stderr!.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((done) => proc.once("exit", (code) => done(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes("Foyer is ready")) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`the entry point did not start Foyer:\nstdout:\n${out}\nstderr:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      return exited;
    },
  };
}
