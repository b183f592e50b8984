/**
 * The publishable-key codec is @foyer/contract's (one implementation for the server and both
 * SDKs); this module stays so the server's importers keep their path.
 */
export { encodePublishableKey } from "@foyer/contract";
