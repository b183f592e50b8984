/** The wrappers around resources: deletions, lists, counts, the Frontend API envelope, JWKS. */
import type { ClientJSON } from "./sessions.js";

/** The answer of a DELETE: which object is gone. */
export interface DeletedObjectJSON {
  object: string;
  id: string;
  deleted: true;
}

/** A list answer with `paginated=true` (Clerk's `{ data, total_count }`); without it, a plain array. */
export interface PaginatedResponseJSON<T> {
  data: T[];
  total_count: number;
}

/** The answer of `GET /v1/users/count`. */
export interface TotalCountJSON {
  object: "total_count";
  total_count: number;
}

/** Every Frontend API answer: the resource asked for and the browser's client as it is now. */
export interface FrontendEnvelopeJSON<T> {
  response: T;
  client: ClientJSON | null;
}

/** One RS256 public key of an instance ({@link https://www.rfc-editor.org/rfc/rfc7517#section-4 RFC 7517 §4}). */
export interface JwkJSON {
  kty: "RSA";
  n: string;
  e: string;
  kid: string;
  alg: "RS256";
  use: "sig";
}

/** An instance's JWK Set: the active signing key and recently retired ones. */
export interface JwksJSON {
  keys: JwkJSON[];
}
