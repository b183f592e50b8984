/** @jsxImportSource react */
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { Avatar, displayName, primaryEmail } from "./avatar.js";
import { useFoyerContext } from "./hooks.js";

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
}

/** The menu's width in styles.css (18rem at 16 px). */
const MENU_WIDTH_PX = 288;

export interface UserButtonProps {
  /** A "Manage account" link to the app's account page. */
  userProfileUrl?: string;
  /** Or a "Manage account" item that calls this (e.g. to open the app's own dialog). */
  onManageAccount?: () => void;
  /** Where to go once signed out (default: stay, the page re-renders signed out). */
  afterSignOutUrl?: string;
  /** Show the user's Atlassian picture instead of initials (the CSP must allow its host). */
  showImage?: boolean;
}

/**
 * The signed-in user's avatar, opening a menu (WAI-ARIA menu button): Manage account, Sign out.
 * Enter, Space or ArrowDown open it on the first item; arrows, Home and End move; Escape closes
 * it and returns focus to the button; Tab or a click outside closes it.
 */
export function UserButton({ userProfileUrl, onManageAccount, afterSignOutUrl, showImage }: UserButtonProps) {
  const { foyer, loaded, user } = useFoyerContext();
  const [open, setOpen] = useState(false);
  const [focusOnOpen, setFocusOnOpen] = useState<"first" | "last">("first");
  // Which edge the menu hangs from: a class, not an inline style (the CSP forbids those).
  const [align, setAlign] = useState<"start" | "end">("end");
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => menuItems(menu.current);
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const list = menuItems(menu.current);
    (focusOnOpen === "last" ? list.at(-1) : list[0])?.focus();
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open, focusOnOpen, close]);

  if (!loaded || !user) return null;
  const name = displayName(user);
  const email = primaryEmail(user);

  const openWith = (where: "first" | "last") => {
    // Near the left edge a right-aligned menu would leave the screen: hang it from the left.
    const right = trigger.current?.getBoundingClientRect().right ?? Number.POSITIVE_INFINITY;
    setAlign(right < MENU_WIDTH_PX + 16 ? "start" : "end");
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
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      move(at + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(at - 1);
    } else if (e.key === "Home") {
      e.preventDefault();
      move(0);
    } else if (e.key === "End") {
      e.preventDefault();
      move(list.length - 1);
    } else if (e.key === "Tab") {
      close(false);
    }
  };
  const signOut = () => {
    close(true);
    void foyer?.signOut().then(() => {
      if (afterSignOutUrl) location.assign(afterSignOutUrl);
    });
  };

  return (
    <div className="foyer-user-button" ref={root}>
      <button
        type="button"
        className="foyer-user-button__trigger"
        ref={trigger}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Account menu for ${name}`}
        onClick={() => (open ? close(false) : openWith("first"))}
        onKeyDown={onTriggerKey}
      >
        <Avatar user={user} showImage={showImage ?? false} />
      </button>
      {open ? (
        <div className={`foyer-user-button__popover foyer-user-button__popover--${align}`}>
          <div className="foyer-user-button__identity">
            <Avatar user={user} showImage={showImage ?? false} />
            <div className="foyer-user-button__names">
              <p className="foyer-user-button__name">{name}</p>
              {email ? <p className="foyer-user-button__email">{email}</p> : null}
            </div>
          </div>
          <div
            className="foyer-user-button__menu"
            role="menu"
            id={menuId}
            aria-label={`Account of ${name}`}
            ref={menu}
            onKeyDown={onMenuKey}
          >
            {userProfileUrl ? (
              <a className="foyer-menu-item" role="menuitem" tabIndex={-1} href={userProfileUrl}>
                Manage account
              </a>
            ) : onManageAccount ? (
              <button
                type="button"
                className="foyer-menu-item"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  close(true);
                  onManageAccount();
                }}
              >
                Manage account
              </button>
            ) : null}
            <button type="button" className="foyer-menu-item" role="menuitem" tabIndex={-1} onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
