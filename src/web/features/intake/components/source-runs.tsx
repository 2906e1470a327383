import { useMemo, type ReactNode } from 'react';
import { Alert, Badge, Drawer, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { sourceQuery, type RunOutcome, type SourceRun } from '../api';
import { HealthBadge } from './story-badges';

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** The warnings of a run (a document not taken in, and why), in full. */
function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return <>—</>;
  return (
    <List size="xs" spacing={2} data-testid="run-warnings">
      {warnings.map((warning, index) => (
        <List.Item key={`${index}-${warning}`} style={{ overflowWrap: 'anywhere' }}>
          {warning}
        </List.Item>
      ))}
    </List>
  );
}

/** What "Run now" made of a source: new and updated items, warnings, or the error. */
export function RunOutcomeAlert({ name, outcome }: { name: string; outcome: RunOutcome }) {
  const { t } = useTranslation();
  const warn = !outcome.ok || outcome.warnings.length > 0;
  return (
    <Alert
      color={outcome.ok ? (warn ? 'orange' : 'green') : 'red'}
      variant="light"
      role="status"
      mb="md"
      title={outcome.ok ? t('intake.sources.run.okTitle', { name }) : t('intake.sources.run.failedTitle', { name })}
      data-testid="run-outcome"
      data-ok={outcome.ok}
    >
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
          <Figure label={t('intake.sources.run.newItems')} value={outcome.newItems} testId="run-new-items" />
          <Figure label={t('intake.sources.run.updatedItems')} value={outcome.updatedItems} testId="run-updated-items" />
          <Figure label={t('intake.sources.run.warnings')} value={outcome.warnings.length} testId="run-warning-count" />
        </SimpleGrid>
        {outcome.warnings.length > 0 ? <Warnings warnings={outcome.warnings} /> : null}
        {outcome.error ? (
          <Text size="sm" c="red.9" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="run-error">
            {outcome.error}
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}

const runCol = columnHelper<SourceRun>();

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text size="sm" component="div">
      <Text span size="sm" c="dimmed">
        {label}:
      </Text>{' '}
      {children}
    </Text>
  );
}

/** A source in full with its last 20 runs (and their warnings). */
export function SourceDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const query = useQuery({ ...sourceQuery(id ?? ''), enabled: id !== null });
  const source = query.data;
  const columns = useMemo(
    () =>
      runCol.columns([
        runCol.accessor('startedAt', { header: () => t('intake.sources.runs.started'), cell: (info) => <DateTime value={info.getValue()} /> }),
        runCol.accessor('ok', {
          header: () => t('intake.sources.runs.outcome'),
          cell: (info) => (
            <Badge color={info.getValue() ? 'green.9' : 'red.9'} variant="filled" size="sm" component="span">
              {info.getValue() ? t('intake.sources.runs.ok') : t('intake.sources.runs.failed')}
            </Badge>
          ),
        }),
        runCol.accessor('newItems', { header: () => t('intake.sources.run.newItems'), cell: (info) => info.getValue() }),
        runCol.accessor('updatedItems', { header: () => t('intake.sources.run.updatedItems'), cell: (info) => info.getValue() }),
        runCol.accessor('warnings', { header: () => t('intake.sources.run.warnings'), cell: (info) => <Warnings warnings={info.getValue()} /> }),
        runCol.accessor('error', {
          header: () => t('intake.sources.lastError'),
          cell: (info) => {
            const error = info.getValue();
            return error ? (
              <Text size="xs" c="red.9" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {error}
              </Text>
            ) : (
              '—'
            );
          },
        }),
      ]),
    [t],
  );

  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="xl" title={source?.name ?? t('intake.sources.detail')} data-testid="source-drawer">
      {query.isPending && id !== null ? <LoadingIndicator /> : null}
      <ErrorAlert error={query.error} />
      {source ? (
        <Stack gap="sm">
          <Group gap="xs">
            <Text size="sm">{t(`intake.kinds.${source.kind}`)}</Text>
            <TlpBadge tlp={source.tlp} />
            <HealthBadge state={source.health.state} running={source.health.running} />
          </Group>
          <Fact label={source.kind === 'mailbox' ? t('intake.sources.mailAddress') : t('intake.sources.url')}>
            <Text span size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {source.url ?? source.mailAddress ?? '—'}
            </Text>
          </Fact>
          <Fact label={t('intake.sources.interval')}>{t('intake.sources.everyMinutes', { count: source.intervalMinutes })}</Fact>
          {source.kind === 'csaf' ? <Fact label={t('intake.sources.pinnedKeys')}>{source.publicKeyCount}</Fact> : null}
          <Fact label={t('intake.sources.lastRun')}>
            <DateTime value={source.health.lastRunAt} fallback={t('intake.sources.never')} />
          </Fact>
          <Fact label={t('intake.sources.lastSuccess')}>
            <DateTime value={source.health.lastSuccessAt} fallback={t('intake.sources.never')} />
          </Fact>
          <Fact label={t('intake.sources.nextRun')}>
            <DateTime value={source.health.nextRunAt} />
          </Fact>
          <Fact label={t('intake.sources.items')}>{t('intake.sources.itemsValue', { last: source.health.lastItems, total: source.health.totalItems })}</Fact>
          {source.health.lastError ? (
            <Fact label={t('intake.sources.lastError')}>
              <Text span size="sm" c="red.9" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {source.health.lastError}
              </Text>
            </Fact>
          ) : null}
          <Title order={3} size="h5" mt="sm">
            {t('intake.sources.runs.title')}
          </Title>
          <DataTable
            data={source.runs}
            columns={columns}
            caption={t('intake.sources.runs.title')}
            getRowId={(row) => row.startedAt}
            emptyText={t('intake.sources.runs.empty')}
            testId="source-runs"
          />
        </Stack>
      ) : null}
    </Drawer>
  );
}
