/**
 * The publishable-key codec is @foyer/contract's, shared with the server (which encodes) and
 * @foyer/js: one implementation, so a key the server makes always parses here.
 */
export { type PublishableKeyInfo, parsePublishableKey } from "@foyer/contract";
