import { useMemo, useState, type ReactNode } from 'react';
import { Badge, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconListDetails, IconPlayerPlay, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { EditDeleteActions } from '../../../components/edit-delete-actions';
import { errorMessage, ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { sourcesQuery, type RunOutcome, type Source } from '../api';
import { useDeleteSource, useRunSource } from '../mutations';
import { SourceFormModal } from '../components/source-form';
import { RunOutcomeAlert, SourceDrawer } from '../components/source-runs';
import { HealthBadge } from '../components/story-badges';

const col = columnHelper<Source>();

function RunFact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text size="xs" component="div" className="nowrap">
      <Text span size="xs" c="dimmed">
        {label}:
      </Text>{' '}
      {children}
    </Text>
  );
}

/** "Run now" (a mailbox is not fetched: its mail arrives on the intake address). */
function RunButton({ source, onOutcome }: { source: Source; onOutcome: (outcome: { name: string; outcome: RunOutcome } | { error: unknown }) => void }) {
  const { t } = useTranslation();
  const run = useRunSource();
  if (source.kind === 'mailbox') return null;
  return (
    <Button
      size="compact-sm"
      variant="light"
      leftSection={<IconPlayerPlay size={14} aria-hidden />}
      loading={run.isPending || source.health.running}
      aria-label={t('intake.sources.run.named', { name: source.name })}
      onClick={() =>
        run.mutate(source.id, {
          onSuccess: (outcome) => onOutcome({ name: source.name, outcome }),
          onError: (error) => onOutcome({ error }),
        })
      }
      data-testid="run-source"
    >
      {t('intake.sources.run.label')}
    </Button>
  );
}

/** The sources the CERT reads, with their health; administrators add, change, delete and run them. */
export function IntakeSourcesPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const canManage = can(user.role, 'intake:sources');
  const query = useQuery(sourcesQuery);
  const { mutate: removeSource } = useDeleteSource();
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const [details, setDetails] = useState<string | null>(null);
  const [lastRun, setLastRun] = useState<{ name: string; outcome: RunOutcome } | { error: unknown } | null>(null);

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', {
          header: () => t('intake.sources.name'),
          cell: (info) => (
            <UnstyledButton
              onClick={() => setDetails(info.row.original.id)}
              aria-label={t('intake.sources.showDetails', { name: info.getValue() })}
              data-testid="source-name"
              miw={140}
              style={{ textDecoration: 'underline', color: 'var(--mantine-color-anchor)', overflowWrap: 'anywhere' }}
              fz="sm"
              fw={500}
            >
              {info.getValue()}
            </UnstyledButton>
          ),
        }),
        col.accessor('kind', { header: () => t('intake.sources.kind'), cell: (info) => t(`intake.kinds.${info.getValue()}`) }),
        col.display({
          id: 'where',
          header: () => t('intake.sources.where'),
          cell: (info) => (
            <Text size="xs" ff="monospace" miw={200} maw="22rem" style={{ overflowWrap: 'anywhere' }}>
              {info.row.original.url ?? info.row.original.mailAddress ?? '—'}
            </Text>
          ),
        }),
        col.accessor('tlp', { header: () => t('intake.sources.tlp'), cell: (info) => <TlpBadge tlp={info.getValue()} /> }),
        col.accessor('intervalMinutes', {
          header: () => t('intake.sources.interval'),
          cell: (info) => <span className="nowrap">{t('intake.sources.everyMinutes', { count: info.getValue() })}</span>,
        }),
        col.accessor('enabled', {
          header: () => t('intake.sources.enabled'),
          cell: (info) => (
            <Badge color={info.getValue() ? 'green.9' : 'gray.7'} variant={info.getValue() ? 'filled' : 'outline'} size="sm" component="span">
              {info.getValue() ? t('common.yes') : t('common.no')}
            </Badge>
          ),
        }),
        col.display({
          id: 'health',
          header: () => t('intake.sources.health'),
          cell: (info) => {
            const { health } = info.row.original;
            return (
              <Stack gap={2}>
                <HealthBadge state={health.state} running={health.running} />
                {health.lastError ? (
                  <Text size="xs" c="red.9" maw="26rem" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="source-last-error">
                    {health.lastError}
                  </Text>
                ) : null}
              </Stack>
            );
          },
        }),
        col.display({
          id: 'runs',
          header: () => t('intake.sources.runsColumn'),
          cell: (info) => {
            const { health } = info.row.original;
            return (
              <Stack gap={0} miw={190}>
                <RunFact label={t('intake.sources.lastRun')}>
                  <DateTime value={health.lastRunAt} fallback={t('intake.sources.never')} />
                </RunFact>
                <RunFact label={t('intake.sources.lastSuccess')}>
                  <DateTime value={health.lastSuccessAt} fallback={t('intake.sources.never')} />
                </RunFact>
                <RunFact label={t('intake.sources.nextRun')}>
                  <DateTime value={health.nextRunAt} />
                </RunFact>
              </Stack>
            );
          },
        }),
        col.display({
          id: 'items',
          header: () => t('intake.sources.items'),
          cell: (info) => (
            <span className="nowrap" data-testid="source-items">
              {t('intake.sources.itemsValue', { last: info.row.original.health.lastItems, total: info.row.original.health.totalItems })}
            </span>
          ),
        }),
        ...(canManage
          ? [
              col.display({
                id: 'actions',
                header: () => t('common.actions'),
                cell: (info) => {
                  const source = info.row.original;
                  return (
                    <Group gap={4} wrap="nowrap">
                      <RunButton source={source} onOutcome={setLastRun} />
                      <EditDeleteActions
                        editLabel={t('intake.sources.editNamed', { name: source.name })}
                        deleteLabel={t('intake.sources.deleteNamed', { name: source.name })}
                        confirmMessage={t('intake.sources.deleteConfirm', { name: source.name })}
                        onEdit={() => setEditing(source)}
                        onDelete={() =>
                          removeSource(source.id, {
                            onSuccess: () => notifications.show({ color: 'green', message: t('intake.sources.deleted', { name: source.name }) }),
                            onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
                          })
                        }
                      />
                    </Group>
                  );
                },
              }),
            ]
          : []),
      ]),
    [t, canManage, removeSource],
  );

  return (
    <>
      <PageHeader
        title={t('intake.sources.title')}
        description={canManage ? t('intake.sources.introAdmin') : t('intake.sources.intro')}
        actions={
          <>
            <RouterButton to="/intake" variant="default" leftSection={<IconListDetails size={16} aria-hidden />}>
              {t('intake.sources.toInbox')}
            </RouterButton>
            {canManage ? (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')} data-testid="add-source">
                {t('intake.sources.add')}
              </Button>
            ) : null}
          </>
        }
      />
      <ErrorAlert error={query.error} />
      <div data-testid="run-outcome-area">
        {lastRun && 'error' in lastRun ? <ErrorAlert error={lastRun.error} /> : null}
        {lastRun && 'outcome' in lastRun ? <RunOutcomeAlert name={lastRun.name} outcome={lastRun.outcome} /> : null}
      </div>
      <DataTable
        data={query.data ?? NO_ROWS}
        columns={columns}
        caption={t('intake.sources.title')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        emptyText={t('intake.sources.empty')}
        testId="intake-sources-table"
      />
      {editing ? <SourceFormModal key={editing === 'new' ? 'new' : editing.id} source={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      <SourceDrawer id={details} onClose={() => setDetails(null)} />
    </>
  );
}
