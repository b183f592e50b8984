/** @jsxImportSource react */
import type { OrganizationJSON } from "@foyer/js";
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { useFoyerContext } from "./hooks.js";
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
 * `o` claim. Keys as in <UserButton/>: Enter, Space, ArrowDown/Up open; arrows, Home, End move;
 * Escape closes and refocuses the button; Tab or a click outside closes.
 */
export function OrganizationSwitcher({ showImage = false, allowNone = false }: OrganizationSwitcherProps) {
  const { loaded, user, organization } = useFoyerContext();
  const list = useOrganizationList();
  const [open, setOpen] = useState(false);
  const [focusOnOpen, setFocusOnOpen] = useState<"first" | "last">("first");
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const all = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const checked = all.find((el) => el.getAttribute("aria-checked") === "true");
    (focusOnOpen === "last" ? all.at(-1) : (checked ?? all[0]))?.focus();
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open, focusOnOpen, close]);

  if (!loaded || !user) return null;
  const memberships = list.userMemberships.data ?? [];
  const label = organization?.name ?? "No organization";

  const openWith = (where: "first" | "last") => {
    setFocusOnOpen(where);
    setOpen(true);
  };
  const onTriggerKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      openWith("first");
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      openWith("last");
    }
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => all[(i + all.length) % all.length]?.focus();
    const target: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
    };
    if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (e.key in target) {
      e.preventDefault();
      move(target[e.key]!);
    } else if (e.key === "Tab") {
      close(false);
    }
  };
  const choose = (id: string | null) => {
    close(true);
    setError(null);
    if (id === (organization?.id ?? null)) return;
    list.setActive({ organization: id }).catch((err: Error) => setError(err.message));
  };

  return (
    <div className="foyer-organization-switcher" ref={root}>
      <button
        type="button"
        className="foyer-organization-switcher__trigger"
        ref={trigger}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Organization: ${label}. Switch organization`}
        onClick={() => (open ? close(false) : openWith("first"))}
        onKeyDown={onTriggerKey}
      >
        {organization ? <OrganizationAvatar organization={organization} showImage={showImage} /> : null}
        <span className="foyer-organization-switcher__name">{label}</span>
      </button>
      {open ? (
        <div
          className="foyer-organization-switcher__menu"
          role="menu"
          id={menuId}
          aria-label="Organizations"
          ref={menu}
          onKeyDown={onMenuKey}
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
