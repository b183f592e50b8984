import { ERRORS } from "@foyer/contract";
import type { FoyerErrorCode } from "./fapi.js";

/**
 * Every code @foyer/js can report, in words: the error catalogue's messages (one table for the
 * server, the hosted pages and the SDK), plus the two the SDK makes up itself.
 */
const SDK_WORDS: Record<"network_error" | "invalid_response", string> = {
  network_error: "Foyer could not be reached. Check your connection and try again.",
  invalid_response: "Foyer answered in a way this page did not understand. Try again.",
};

/** The words for an error code, e.g. from `?foyer_error=` (an unknown code gets general words). */
export function errorMessage(code: string): string {
  if (Object.hasOwn(SDK_WORDS, code)) return SDK_WORDS[code as keyof typeof SDK_WORDS];
  if (Object.hasOwn(ERRORS, code)) return ERRORS[code as keyof typeof ERRORS].message;
  return "Signing in did not work. Try again.";
}

/** Whether a string is a code this SDK knows (anything else in `foyer_error` is not trusted as one). */
export function isKnownCode(code: string): code is FoyerErrorCode {
  return Object.hasOwn(SDK_WORDS, code) || Object.hasOwn(ERRORS, code);
}
