/**
 * The error catalogue lives in @foyer/contract, so the server and the SDKs read one list. This
 * re-export keeps the server's imports short.
 */
export { ERRORS, type ErrorBodyJSON, type ErrorCode } from "@foyer/contract";
