import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from "react";

export type MenuEdge = "first" | "last";

const MOVES: Record<string, (at: number, count: number) => number> = {
  ArrowDown: (at) => at + 1,
  ArrowUp: (at) => at - 1,
  Home: () => 0,
  End: (_at, count) => count - 1,
};

/**
 * The WAI-ARIA menu-button pattern shared by <UserButton/> and <OrganizationSwitcher/>: Enter,
 * Space or ArrowDown open the menu on its first item (ArrowUp on its last); arrows, Home and End
 * move; Escape closes it and returns focus to the button; Tab or a click outside closes it.
 * `initialItem` may pick another item to focus on opening (e.g. the checked radio item);
 * `beforeOpen` runs as it opens (e.g. to choose the edge the menu hangs from).
 */
export function useMenuButton(opts: {
  itemSelector: string;
  initialItem?: (items: HTMLElement[], edge: MenuEdge) => HTMLElement | undefined;
  beforeOpen?: (trigger: HTMLButtonElement | null) => void;
}) {
  const { itemSelector, initialItem, beforeOpen } = opts;
  const [open, setOpen] = useState(false);
  const [edge, setEdge] = useState<MenuEdge>("first");
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const items = useCallback(
    () => [...(menu.current?.querySelectorAll<HTMLElement>(itemSelector) ?? [])],
    [itemSelector],
  );
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  }, []);
  // Read through a ref so a new function each render does not re-run the effect below.
  const pick = useRef(initialItem);
  pick.current = initialItem;

  useEffect(() => {
    if (!open) return;
    const list = items();
    (pick.current?.(list, edge) ?? (edge === "last" ? list.at(-1) : list[0]))?.focus();
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open, edge, close, items]);

  const openAt = (where: MenuEdge) => {
    beforeOpen?.(trigger.current);
    setEdge(where);
    setOpen(true);
  };
  const onTriggerKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      openAt("first");
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      openAt("last");
    }
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const move = MOVES[e.key];
    if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (move) {
      e.preventDefault();
      const at = move(list.indexOf(document.activeElement as HTMLElement), list.length);
      list[(at + list.length) % list.length]?.focus();
    } else if (e.key === "Tab") {
      close(false);
    }
  };

  return {
    open,
    close,
    root,
    menu,
    menuId,
    /** Props for the button that opens the menu (add its label and contents). */
    triggerProps: {
      ref: trigger,
      type: "button" as const,
      "aria-haspopup": "menu" as const,
      "aria-expanded": open,
      "aria-controls": open ? menuId : undefined,
      onClick: () => (open ? close(false) : openAt("first")),
      onKeyDown: onTriggerKey,
    },
    /** Props for the element with role="menu" (the role itself is written where the menu is). */
    menuProps: { ref: menu, id: menuId, onKeyDown: onMenuKey },
  };
}
