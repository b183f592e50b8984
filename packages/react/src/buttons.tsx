/** @jsxImportSource react */
import type { SignInOptions } from "@foyer/js";
import {
  Children,
  cloneElement,
  isValidElement,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from "react";
import { currentUrlWithoutError } from "./error-words.js";
import { useFoyerContext } from "./hooks.js";

type Clickable = ReactElement<{ onClick?: (e: MouseEvent<HTMLElement>) => void }>;

/** Gives a single child element our onClick (after its own), or renders our own button. */
function clickable(children: ReactNode, onClick: () => void, label: string, className: string) {
  if (children !== undefined && children !== null) {
    const child = Children.only(children);
    if (!isValidElement(child)) throw new Error("Foyer: give the button a single element child, or none.");
    const el = child as Clickable;
    return cloneElement(el, {
      onClick: (e: MouseEvent<HTMLElement>) => {
        el.props.onClick?.(e);
        if (!e.defaultPrevented) onClick();
      },
    });
  }
  return (
    <button type="button" className={className} onClick={onClick}>
      {label}
    </button>
  );
}

export interface SignInButtonProps extends SignInOptions {
  /** One element to make the button (e.g. your own `<button>`); without it, a "Sign in" button. */
  children?: ReactNode;
}

/** Starts signing in with Atlassian: the hosted page, then Atlassian's consent, then back here. */
export function SignInButton({ children, redirectUrl, mode }: SignInButtonProps) {
  const { foyer } = useFoyerContext();
  const start = () => {
    const to = redirectUrl ?? currentUrlWithoutError();
    void foyer?.signIn.atlassian({ ...(to ? { redirectUrl: to } : {}), ...(mode ? { mode } : {}) });
  };
  return clickable(children, start, "Sign in", "foyer-button foyer-button--primary");
}

export interface SignOutButtonProps {
  children?: ReactNode;
  /** End only this session (default: every session of this browser). */
  sessionId?: string;
  /** Where to go once signed out (default: stay on the page, which re-renders signed out). */
  redirectUrl?: string;
}

/** Signs out of Foyer. */
export function SignOutButton({ children, sessionId, redirectUrl }: SignOutButtonProps) {
  const { foyer } = useFoyerContext();
  const signOut = () => {
    void foyer?.signOut(sessionId ? { sessionId } : {}).then(() => {
      if (redirectUrl) location.assign(redirectUrl);
    });
  };
  return clickable(children, signOut, "Sign out", "foyer-button foyer-button--secondary");
}
