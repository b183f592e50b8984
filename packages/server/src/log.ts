import { type DestinationStream, destination as fileDestination, type Logger, pino } from "pino";

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear, and request logs carry
 * the path without its query string (OAuth callbacks put `code` and `state` there).
 *
 * They go to stderr, one JSON object a line; stdout carries only the plain-text start-up banner
 * (keys, URLs), so neither stream mixes the two and a log shipper can parse every stderr line.
 * Synchronous, so a fatal line is written before the process exits.
 */
export const REDACT_PATHS = [
  "authorization",
  "cookie",
  "set-cookie",
  "*.authorization",
  "*.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "*.headers['set-cookie']",
  "client_secret",
  "*.client_secret",
  "*.clientSecret",
  "access_token",
  "*.access_token",
  "refresh_token",
  "*.refresh_token",
  "*.token",
  "*.code",
  "*.state",
  "*.secret_key",
  "*.secretKey",
  "*.password",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: "foyer" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (destination as DestinationStream | undefined) ?? fileDestination({ fd: 2, sync: true }),
  );
}

export type { Logger };
