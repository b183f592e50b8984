/** @jsxImportSource react */
import { type ReactNode, useEffect, useRef } from "react";

/**
 * The ask-first step of a destructive action in <UserProfile/> (Unlink, Revoke): a fieldset named
 * by its question, its confirm button focused as it appears (so the keyboard lands on the choice),
 * Escape or Cancel calling `onCancel`, which puts the focus back on the button that asked.
 */
export function ConfirmStep({
  question,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  question: string;
  /** What the action does, in the user's words. */
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmButton.current?.focus();
  }, []);
  return (
    <fieldset
      className="foyer-user-profile__confirm"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <legend className="foyer-user-profile__legend">{question}</legend>
      <p>{children}</p>
      <div className="foyer-user-profile__actions">
        <button
          type="button"
          className="foyer-button foyer-button--danger"
          ref={confirmButton}
          disabled={busy}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
        <button type="button" className="foyer-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
