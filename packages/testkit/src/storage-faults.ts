/**
 * Real storage faults for SQLite readiness tests, no simulation: a tiny tmpfs filled to the last
 * byte (the disk is full) and the immutable attribute (`chattr +i`, a file that stops taking
 * writes under an open connection, which chmod cannot do for root). Both need root (mount,
 * CAP_LINUX_IMMUTABLE); `storageFaultsUnavailable` says why they cannot run here, if so.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: "pipe" });
}

/** Undefined when this machine can mount a tmpfs and set the immutable attribute; else why not. */
export function storageFaultsUnavailable(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), "foyer-fault-probe-"));
  try {
    const file = join(dir, "f");
    writeFileSync(file, "x");
    run("chattr", ["+i", file]);
    run("chattr", ["-i", file]);
    run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]);
    run("umount", [dir]);
    return undefined;
  } catch (err) {
    return `needs root (mount, chattr): ${(err as Error).message.split("\n")[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes files (or a folder) immutable, or writable again. */
export function setImmutable(paths: string[], immutable: boolean): void {
  run("chattr", [immutable ? "+i" : "-i", ...paths]);
}

export interface TinyDisk {
  dir: string;
  /** Writes a filler file until the file system has not one byte left. */
  fill(): void;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  unmount(): void;
}

export function mountTinyDisk(bytes: number): TinyDisk {
  const dir = mkdtempSync(join(tmpdir(), "foyer-tiny-disk-"));
  run("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir]);
  const filler = join(dir, "filler");
  return {
    dir,
    fill() {
      const fd = openSync(filler, "w");
      try {
        for (const size of [64 * 1024, 512, 1]) {
          const chunk = Buffer.alloc(size);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (err) {
            if ((err as { code?: string }).code !== "ENOSPC") throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      run("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
