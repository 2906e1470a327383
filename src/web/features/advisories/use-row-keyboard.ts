import { useEffect, type RefObject } from 'react';
import { isTyping } from '../../app/use-go-shortcuts';

interface RowKeyboardOptions {
  /** The element holding the rows; each row's main link carries `data-row-link`. */
  container: RefObject<HTMLElement | null>;
  /** "n": start something new (left out when the user may not). */
  onNew?: () => void;
}

/**
 * List keys as in mail clients: "j"/"k" move the focus to the next/previous row's link, Enter
 * (the link's own behaviour) opens it, "n" starts a new item. Moving the focus rather than a
 * separate selection keeps it visible to screen readers and to the browser's own focus ring.
 * Ignored while typing in a field, like the global shortcuts.
 */
export function useRowKeyboard({ container, onNew }: RowKeyboardOptions): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      // Inside an open dialog the list is not what the keys are for.
      if (event.target instanceof HTMLElement && event.target.closest('[role="dialog"]')) return;
      if (event.key === 'n' && onNew) {
        event.preventDefault();
        onNew();
        return;
      }
      if (event.key !== 'j' && event.key !== 'k') return;
      const links = [...(container.current?.querySelectorAll<HTMLAnchorElement>('a[data-row-link]') ?? [])];
      if (links.length === 0) return;
      event.preventDefault();
      const current = links.findIndex((link) => link === document.activeElement);
      const next =
        current === -1 ? (event.key === 'j' ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, current + (event.key === 'j' ? 1 : -1)));
      const link = links[next];
      link?.focus();
      link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [container, onNew]);
}
