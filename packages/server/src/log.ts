import { type DestinationStream, type Logger, pino } from "pino";

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear, and request logs carry
 * the path without its query string (OAuth callbacks put `code` and `state` there).
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
    destination as DestinationStream | undefined,
  );
}

export type { Logger };
