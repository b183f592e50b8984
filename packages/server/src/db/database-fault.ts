/**
 * Whether an error means "the database is not answering" (stopped, restarting, stalled past the
 * timeout, disk full, file read-only), as opposed to a bug or bad data. Those become a coded,
 * retryable 503 (`database_unavailable`) instead of a bare 500, and recover without a restart:
 * the pool reconnects and SQLite retries on the next request.
 */
const PG_UNAVAILABLE = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up)
  "57014", // query_canceled (statement_timeout)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection exceptions
  "53300", // too_many_connections
  "25006", // read_only_sql_transaction (a standby)
]);
const NODE_UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN)/;
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout|database is locked|disk is full|readonly database/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (PG_UNAVAILABLE.has(code) || NODE_UNAVAILABLE.has(code))) return true;
    if (typeof code === "string" && SQLITE_UNAVAILABLE.test(code)) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
  }
  return false;
}
