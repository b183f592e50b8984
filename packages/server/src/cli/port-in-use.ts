/**
 * A busy port named for what it is: `foyer start` runs up to three servers (Foyer, the built-in
 * Atlassian emulator, the example app), and a bare EADDRINUSE says neither which one nor which
 * variable moves it.
 */
export function isPortInUse(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === "EADDRINUSE";
}

export function portInUseMessage(part: string, variable: string, port: number): string {
  return `Port ${port} is already in use, so ${part} cannot start. Set ${variable} to a free port, or stop the program that uses it.`;
}

/** Runs `start`, turning a busy port into an error that names the part and its variable. */
export async function onPort<T>(
  part: string,
  variable: string,
  port: number,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (isPortInUse(err)) throw new Error(portInUseMessage(part, variable, port), { cause: err });
    throw err;
  }
}
