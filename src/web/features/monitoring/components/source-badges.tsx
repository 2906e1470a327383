import { useCallback } from 'react';
import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';

export const SOURCE_KINDS = ['dnsbl', 'csv', 'blocklist', 'check', 'shadowserver', 'nmap'] as const;
type SourceKind = (typeof SOURCE_KINDS)[number];

export function useSourceKindLabel(): (kind: string) => string {
  const { t } = useTranslation();
  return useCallback((kind: string) => ((SOURCE_KINDS as readonly string[]).includes(kind) ? t(`monitoring.sources.kinds.${kind as SourceKind}`) : kind), [t]);
}

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={enabled ? 'green' : 'gray'} variant="light" size="sm" component="span" data-testid="source-enabled" data-enabled={enabled}>
      {enabled ? t('monitoring.overview.enabled') : t('monitoring.overview.disabled')}
    </Badge>
  );
}

/** "never" for a source that has not run yet, else when it last did. */
export function LastRun({ at }: { at: string | null }) {
  const { t } = useTranslation();
  return <DateTime value={at} fallback={t('monitoring.overview.never')} />;
}

/** The last error of a source, in full (it is what the analyst needs to act on), or a dash. */
export function LastError({ error }: { error: string | null }) {
  if (!error) return <>—</>;
  return (
    <Text size="xs" c="red" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} maw="28rem" data-testid="source-last-error">
      {error}
    </Text>
  );
}
