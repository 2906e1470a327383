import { useEffect } from 'react';
import type { NavItem } from './nav-items';

/** Whether a key press goes into a text field (where single-key shortcuts must not fire). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Two-key navigation ("g" then a letter, as in GitHub/Gmail), "?" for the shortcut help and
 * "/" to focus the page's search field (an input marked `data-page-search`).
 * Ignored while typing in a field so it never steals characters.
 */
export function useGoShortcuts(items: NavItem[], go: (item: NavItem) => void, onHelp: () => void): void {
  useEffect(() => {
    let pendingG = false;
    let timer: number | undefined;

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      if (event.key === '?') {
        event.preventDefault();
        onHelp();
        return;
      }
      if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('input[data-page-search]');
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
        return;
      }
      if (pendingG) {
        pendingG = false;
        window.clearTimeout(timer);
        const item = items.find((candidate) => candidate.goKey === event.key.toLowerCase());
        if (item) {
          event.preventDefault();
          go(item);
        }
        return;
      }
      if (event.key === 'g') {
        pendingG = true;
        timer = window.setTimeout(() => {
          pendingG = false;
        }, 1500);
      }
    };

    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.clearTimeout(timer);
    };
  }, [items, go, onHelp]);
}
