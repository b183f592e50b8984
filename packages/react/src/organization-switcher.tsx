/** @jsxImportSource react */
import type { OrganizationJSON } from "@foyer/js";
import { useState } from "react";
import { useFoyerContext } from "./hooks.js";
import { useMenuButton } from "./menu-button.js";
import { useOrganizationList } from "./organizations.js";

/** Up to two letters of the organization's name ("Acme Corp": "AC"). */
export function organizationInitials(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words.at(-1)![0]] : [name[0] ?? "?"];
  return letters.join("").toUpperCase();
}

/**
 * The organization's initials in a square. With `showImage`, its Atlassian site's avatar (or
 * its own image) instead: an external image, so the CSP must allow its host; off by default.
 */
function OrganizationAvatar({
  organization,
  showImage,
}: {
  organization: OrganizationJSON;
  showImage: boolean;
}) {
  const src =
    organization.atlassian_site?.avatar_url || (organization.has_image ? organization.image_url : "");
  if (showImage && src) {
    return <img className="foyer-avatar foyer-avatar--organization foyer-avatar--image" src={src} alt="" />;
  }
  return (
    <span className="foyer-avatar foyer-avatar--organization" aria-hidden="true">
      {organizationInitials(organization.name)}
    </span>
  );
}

export interface OrganizationSwitcherProps {
  /** Show the sites' Atlassian avatars instead of initials (the CSP must allow their host). */
  showImage?: boolean;
  /** Offer "No organization" to clear the active one (default false). */
  allowNone?: boolean;
}

/**
 * The active organization, opening a menu of the user's organizations (WAI-ARIA menu button
 * with radio items); choosing one switches the session's active organization and its token's
 * `o` claim. Keys as in <UserButton/> (see menu-button.ts); opening lands on the active one.
 */
export function OrganizationSwitcher({ showImage = false, allowNone = false }: OrganizationSwitcherProps) {
  const { loaded, user, organization } = useFoyerContext();
  const list = useOrganizationList();
  const [error, setError] = useState<string | null>(null);
  const { close, open, root, triggerProps, menuProps } = useMenuButton({
    itemSelector: '[role="menuitemradio"]',
    // Opening on the first item lands on the active organization instead.
    initialItem: (items, edge) =>
      edge === "first" ? items.find((el) => el.getAttribute("aria-checked") === "true") : undefined,
  });

  if (!loaded || !user) return null;
  const memberships = list.userMemberships.data ?? [];
  const label = organization?.name ?? "No organization";

  const choose = (id: string | null) => {
    close(true);
    setError(null);
    if (id === (organization?.id ?? null)) return;
    list.setActive({ organization: id }).catch((err: Error) => setError(err.message));
  };

  return (
    <div className="foyer-organization-switcher" ref={root}>
      <button
        {...triggerProps}
        className="foyer-organization-switcher__trigger"
        aria-label={`Organization: ${label}. Switch organization`}
      >
        {organization ? <OrganizationAvatar organization={organization} showImage={showImage} /> : null}
        <span className="foyer-organization-switcher__name">{label}</span>
      </button>
      {open ? (
        <div
          {...menuProps}
          role="menu"
          className="foyer-organization-switcher__menu"
          aria-label="Organizations"
        >
          {memberships.map((m) => (
            <button
              key={m.organization.id}
              type="button"
              className="foyer-menu-item foyer-organization-switcher__item"
              role="menuitemradio"
              aria-checked={m.organization.id === organization?.id}
              tabIndex={-1}
              data-organization-id={m.organization.id}
              onClick={() => choose(m.organization.id)}
            >
              <OrganizationAvatar organization={m.organization} showImage={showImage} />
              <span className="foyer-organization-switcher__name">{m.organization.name}</span>
            </button>
          ))}
          {allowNone || memberships.length === 0 ? (
            <button
              type="button"
              className="foyer-menu-item foyer-organization-switcher__item"
              role="menuitemradio"
              aria-checked={!organization}
              tabIndex={-1}
              onClick={() => choose(null)}
            >
              <span className="foyer-organization-switcher__name">No organization</span>
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="foyer-organization-switcher__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
