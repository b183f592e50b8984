import { ERRORS, type ErrorBodyJSON, type ErrorCode } from "@foyer/contract";

/** The one error type handlers throw; `toBody` gives Clerk's error shape. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly longMessage: string | undefined;
  readonly meta: Record<string, unknown>;
  /** Extra response headers, e.g. Retry-After for retryable errors. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    opts: {
      longMessage?: string;
      meta?: Record<string, unknown>;
      cause?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(ERRORS[code].message, { cause: opts.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.longMessage = opts.longMessage;
    this.meta = opts.meta ?? {};
    this.headers = opts.headers ?? {};
  }

  toBody(): ErrorBodyJSON {
    return {
      errors: [
        {
          code: this.code,
          message: this.message,
          long_message: this.longMessage ?? this.message,
          meta: this.meta,
        },
      ],
    };
  }
}

export function isApiError(err: unknown, code?: ErrorCode): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}
