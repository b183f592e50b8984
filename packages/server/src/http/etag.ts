/**
 * Versioned settings over HTTP (RFC 9110 §8.8.3 ETag, §13.1.1 If-Match). A settings resource
 * answers its version as a strong ETag; a write carrying If-Match is applied only to that version
 * (a compare-and-swap in the UPDATE), else 412 `resource_version_conflict`. A write without
 * If-Match still works: it is applied to the version it read, in one statement, so it never
 * mixes its fields with a concurrent write's, but it does overwrite a change it never saw.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.1
 */

/** The ETag of a settings version: `"3"`. */
export function versionETag(version: number): string {
  return `"${version}"`;
}

/**
 * The version an If-Match header asks for: undefined when absent or `*` (any version), the
 * number inside a strong `"N"`. A weak or unreadable tag never matches under strong comparison,
 * so it becomes -1: no stored version, a certain 412. So does a list of several tags: a
 * compare-and-swap needs one version, and no client of Foyer's sends more.
 */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return undefined;
  const tags = value.split(",").map((t) => t.trim());
  if (tags.length !== 1) return -1;
  const m = /^"(\d{1,9})"$/.exec(tags[0]!);
  return m ? Number(m[1]) : -1;
}
