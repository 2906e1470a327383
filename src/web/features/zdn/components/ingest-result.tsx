import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../components/error-alert';
import { isApiError } from '../../../lib/api-client';
import { skippedOf, type IngestResult, type SkippedIndicator } from '../api';

/** "3 added, 1 held: on a warninglist" — what the server did with the indicators sent. */
export function IngestResultAlert({ result }: { result: IngestResult }) {
  const { t } = useTranslation();
  const parts = [
    result.added > 0 ? t('zdn.add.result.added', { count: result.added }) : null,
    result.updated > 0 ? t('zdn.add.result.updated', { count: result.updated }) : null,
    result.held > 0 ? t('zdn.add.result.held', { count: result.held }) : null,
    result.pending > 0 ? t('zdn.add.result.pending', { count: result.pending }) : null,
    result.skipped.length > 0 ? t('zdn.add.result.skipped', { count: result.skipped.length }) : null,
  ].filter((part): part is string => part !== null);
  const warn = result.held > 0 || result.skipped.length > 0;
  return (
    <Alert
      role="status"
      color={warn ? 'orange' : 'green'}
      variant="light"
      icon={warn ? <IconAlertTriangle size={18} aria-hidden /> : <IconCircleCheck size={18} aria-hidden />}
      data-testid="ingest-result"
    >
      <Text size="sm">{parts.length > 0 ? parts.join(', ') : t('zdn.add.result.nothing')}</Text>
      {result.pending > 0 ? (
        <Text size="xs" c="dimmed" mt={4}>
          {t('zdn.add.result.pendingHelp')}
        </Text>
      ) : null}
      {result.skipped.length > 0 ? <SkippedList skipped={result.skipped} /> : null}
    </Alert>
  );
}

function SkippedList({ skipped }: { skipped: readonly SkippedIndicator[] }) {
  return (
    <List size="sm" mt={4} data-testid="skipped-list">
      {skipped.map((s) => (
        <List.Item key={s.index}>
          <Text span ff="monospace" size="sm">
            {s.value}
          </Text>{' '}
          ({s.type}): {s.reason}
        </List.Item>
      ))}
    </List>
  );
}

/** A refused request; for `indicator_invalid` each refused value with its reason (nothing was stored). */
export function IngestErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const skipped = isApiError(error) && error.code === 'indicator_invalid' ? skippedOf(error.details) : [];
  return (
    <Alert role="alert" color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title={skipped.length > 0 ? t('zdn.add.refusedTitle') : undefined} data-testid="ingest-error">
      <Text size="sm">{errorMessage(error, t('common.unexpectedError'))}</Text>
      {skipped.length > 0 ? <SkippedList skipped={skipped} /> : null}
    </Alert>
  );
}
