/** @jsxImportSource react */
import { useState } from "react";
import { Avatar, displayName, primaryEmail } from "./avatar.js";
import { useFoyerContext } from "./hooks.js";
import { useMenuButton } from "./menu-button.js";

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
  // Which edge the menu hangs from: a class, not an inline style (the CSP forbids those).
  const [align, setAlign] = useState<"start" | "end">("end");
  const { open, close, root, triggerProps, menuProps } = useMenuButton({
    itemSelector: '[role="menuitem"]',
    beforeOpen: (trigger) => {
      // Near the left edge a right-aligned menu would leave the screen: hang it from the left.
      const right = trigger?.getBoundingClientRect().right ?? Number.POSITIVE_INFINITY;
      setAlign(right < MENU_WIDTH_PX + 16 ? "start" : "end");
    },
  });

  if (!loaded || !user) return null;
  const name = displayName(user);
  const email = primaryEmail(user);

  const signOut = () => {
    close(true);
    void foyer?.signOut().then(() => {
      if (afterSignOutUrl) location.assign(afterSignOutUrl);
    });
  };

  return (
    <div className="foyer-user-button" ref={root}>
      <button
        {...triggerProps}
        className="foyer-user-button__trigger"
        aria-label={`Account menu for ${name}`}
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
            {...menuProps}
            role="menu"
            className="foyer-user-button__menu"
            aria-label={`Account of ${name}`}
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
