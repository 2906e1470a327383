import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type en from '../../i18n/chat/en.json';

type Paths<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}` }[keyof T & string];
export type ChatKey = Paths<typeof en.chat>;

/**
 * The chat's strings in the current language, through i18next like every feature's (the chat's files
 * in src/web/i18n/chat/ are part of resources.ts, which also checks that Dutch has every key).
 */
export function useChatT(): (key: ChatKey, vars?: Record<string, string | number>) => string {
  const { t } = useTranslation();
  return useCallback((key, vars) => t(`chat.${key}`, vars ?? {}), [t]);
}
