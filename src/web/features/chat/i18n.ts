import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import en from '../../i18n/chat/en.json';
import nl from '../../i18n/chat/nl.json';

type Paths<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}` }[keyof T & string];
export type ChatKey = Paths<typeof en.chat>;

// Compile-time guard: Dutch has every key English has.
const dictionaries: Record<'en' | 'nl', typeof en> = { en, nl };

function lookup(dict: typeof en, key: ChatKey): string | undefined {
  let node: unknown = dict.chat;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/**
 * The chat's strings in the current language. They live in src/web/i18n/chat/ like every feature's;
 * until that folder is part of the typed i18next resources (resources.ts) they are read from there
 * directly, so the keys stay type-checked either way.
 */
export function useChatT(): (key: ChatKey, vars?: Record<string, string | number>) => string {
  const { i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? i18n.language) === 'en' ? 'en' : 'nl';
  return useCallback(
    (key, vars) => {
      const text = lookup(dictionaries[language], key) ?? lookup(dictionaries.en, key) ?? key;
      return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars?.[name] ?? ''));
    },
    [language],
  );
}
