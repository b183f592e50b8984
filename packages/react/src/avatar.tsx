/** @jsxImportSource react */
import type { UserJSON } from "@foyer/js";

/** "Ada Lovelace", else the username or the primary email address. */
export function displayName(user: UserJSON): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
  return name || user.username || primaryEmail(user) || "Signed in";
}

export function primaryEmail(user: UserJSON): string | null {
  const primary = user.email_addresses.find((e) => e.id === user.primary_email_address_id);
  return (primary ?? user.email_addresses[0])?.email_address ?? null;
}

/** Up to two letters: the first and last name's initials, else the name's first letter. */
export function initials(user: UserJSON): string {
  const parts = [user.first_name, user.last_name].filter((p): p is string => Boolean(p));
  const letters = parts.length ? parts.map((p) => p[0]) : [displayName(user)[0]];
  return letters.join("").slice(0, 2).toUpperCase();
}

/**
 * The user's initials in a circle. With `showImage`, their Atlassian picture instead: an
 * external image, so the app's CSP must allow its host in img-src; hence off by default.
 */
export function Avatar({ user, showImage = false }: { user: UserJSON; showImage?: boolean }) {
  if (showImage && user.has_image && user.image_url) {
    return <img className="foyer-avatar foyer-avatar--image" src={user.image_url} alt="" />;
  }
  return (
    <span className="foyer-avatar" aria-hidden="true">
      {initials(user)}
    </span>
  );
}
