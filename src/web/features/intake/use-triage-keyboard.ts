import { useEffect, useRef, type RefObject } from 'react';
import { isTyping } from '../../app/use-go-shortcuts';

/** What the keys do to the row under the focus ring (its index in the list). */
export interface TriageKeyActions {
  /** "?": the list's shortcut help. */
  help: () => void;
  /** j/k and the arrow keys: the focus ring moves to this row. */
  move: (index: number) => void;
  /** Enter or o. */
  open: (index: number) => void;
  /** x. */
  toggleSelect: (index: number) => void;
  /** u. */
  toggleRead: (index: number) => void;
  /** e: "no action", which asks for a reason (left out when the user may not decide). */
  noAction?: (index: number) => void;
  /** a: a draft advisory (left out when the user may not make one). */
  draftAdvisory?: (index: number) => void;
}

interface TriageKeyboardOptions {
  /** The element holding the rows; each row carries `data-row-index`. */
  container: RefObject<HTMLElement | null>;
  /** How many rows are shown. */
  count: number;
  /** The row under the focus ring, or null before the first move. */
  current: number | null;
  /** Off while a dialog of the page is open. */
  enabled: boolean;
  actions: TriageKeyActions;
}

const LIST_KEYS = new Set(['j', 'k', 'ArrowDown', 'ArrowUp', 'Enter', 'o', 'x', 'u', 'e', 'a', '?']);

/**
 * Mail-client keys for the triage inbox: j/k (and ↓/↑) move the focus ring, Enter or o opens the
 * story, x selects it, u marks it read or unread, e decides "no action", a makes a draft advisory,
 * ? shows them all. Never while typing in a field or inside a dialog, and never as the second key
 * of the app's "g <letter>" navigation. The listener runs in the capture phase so the page's "?"
 * is seen before the app's own shortcut help.
 */
export function useTriageKeyboard({ container, count, current, enabled, actions }: TriageKeyboardOptions): void {
  // The latest values, read by one listener that lives as long as the page.
  const state = useRef({ count, current, enabled, actions });
  useEffect(() => {
    state.current = { count, current, enabled, actions };
  });

  useEffect(() => {
    let pendingG = false;
    let timer: number | undefined;

    const rowOf = (target: EventTarget | null): number | null => {
      if (!(target instanceof HTMLElement)) return null;
      const row = target.closest<HTMLElement>('[data-row-index]');
      if (!row || !container.current?.contains(row)) return null;
      const index = Number(row.dataset.rowIndex);
      return Number.isInteger(index) ? index : null;
    };

    const onKeyDown = (event: KeyboardEvent) => {
      const { count: rows, current: focused, enabled: on, actions: act } = state.current;
      if (!on || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      if (event.target instanceof HTMLElement && event.target.closest('[role="dialog"]')) return;
      // "g" starts the app's two-key navigation: the key after it is not ours.
      if (pendingG) {
        pendingG = false;
        window.clearTimeout(timer);
        return;
      }
      if (event.key === 'g') {
        pendingG = true;
        timer = window.setTimeout(() => {
          pendingG = false;
        }, 1500);
        return;
      }
      if (!LIST_KEYS.has(event.key)) return;
      if (event.key === '?') {
        event.preventDefault();
        act.help();
        return;
      }

      const inList = container.current?.contains(event.target as Node) ?? false;
      const onPage = event.target === document.body || event.target === document.documentElement;
      // The arrow keys scroll the page or work a control elsewhere; in the list (or with nothing focused) they move the ring.
      if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !inList && !onPage) return;
      const here = rowOf(event.target) ?? focused;

      if (event.key === 'j' || event.key === 'k' || event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (rows === 0) return;
        event.preventDefault();
        const down = event.key === 'j' || event.key === 'ArrowDown';
        const next = here === null ? (down ? 0 : rows - 1) : Math.min(rows - 1, Math.max(0, here + (down ? 1 : -1)));
        act.move(next);
        return;
      }
      if (here === null || here >= rows) return;
      switch (event.key) {
        case 'Enter': {
          // A focused link, button or checkbox does its own thing with Enter.
          const target = event.target instanceof HTMLElement ? event.target : null;
          if (target && !onPage && target.closest('a, button, input, [role="button"]')) return;
          event.preventDefault();
          act.open(here);
          return;
        }
        case 'o':
          event.preventDefault();
          act.open(here);
          return;
        case 'x':
          event.preventDefault();
          act.toggleSelect(here);
          return;
        case 'u':
          event.preventDefault();
          act.toggleRead(here);
          return;
        case 'e':
          if (!act.noAction) return;
          event.preventDefault();
          act.noAction(here);
          return;
        case 'a':
          if (!act.draftAdvisory) return;
          event.preventDefault();
          act.draftAdvisory(here);
          return;
      }
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.clearTimeout(timer);
    };
  }, [container]);
}
