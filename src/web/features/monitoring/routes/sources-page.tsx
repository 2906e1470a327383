import { useMemo, useState } from 'react';
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { ErrorAlert, errorText } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { CHECK_KIND_LIST, RUNNABLE_KINDS, sourcesQuery, useRunDnsbl, useRunSource, useSetSourceEnabled, type CheckKind, type DnsblRun, type Source, type SourceRun } from '../api';
import { AddSourcePanel } from '../components/add-source-panel';
import { MonitoringSections } from '../components/monitoring-sections';
import { LastError, LastRun, useSourceKindLabel } from '../components/source-badges';

const col = columnHelper<Source>();
const runCol = columnHelper<DnsblRun>();

/** What a source's configuration says in a line: a DNSBL zone's target and budget, a check, a feed's location; a CSV mapping's finding type. */
function SourceDetails({ source }: { source: Source }) {
  const { t, i18n } = useTranslation();
  const config = source.config;
  if (source.kind === 'dnsbl' && typeof config.zone === 'string') {
    const target = config.target === 'domain' ? t('monitoring.sources.targets.domain') : t('monitoring.sources.targets.ip');
    const budget = typeof config.dailyBudget === 'number' ? new Intl.NumberFormat(i18n.language).format(config.dailyBudget) : null;
    return (
      <Text size="sm">
        {t('monitoring.sources.zone', { zone: config.zone, target })}
        {budget ? `, ${t('monitoring.sources.budget', { budget })}` : ''}
      </Text>
    );
  }
  if (source.kind === 'check' && typeof config.check === 'string') {
    const check = (CHECK_KIND_LIST as readonly string[]).includes(config.check) ? t(`monitoring.sources.add.checks.${config.check as CheckKind}`) : config.check;
    return (
      <Text size="sm">
        {config.check === 'tls' && typeof config.warnDays === 'number'
          ? t('monitoring.sources.tlsDetails', { check, days: config.warnDays, port: typeof config.port === 'number' ? config.port : 443 })
          : check}
      </Text>
    );
  }
  if (source.kind === 'blocklist') {
    const where = typeof config.url === 'string' ? config.url : typeof config.file === 'string' ? config.file : '';
    return (
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {typeof config.format === 'string' ? `${config.format}: ` : ''}
        <Text span size="sm" ff="monospace">
          {where}
        </Text>
      </Text>
    );
  }
  if (typeof config.findingType === 'string') {
    return (
      <Text size="sm" ff="monospace">
        {config.findingType}
      </Text>
    );
  }
  return <>—</>;
}

function EnabledSwitch({ source }: { source: Source }) {
  const { t } = useTranslation();
  const toggle = useSetSourceEnabled();
  return (
    <Switch
      checked={source.enabled}
      disabled={toggle.isPending}
      aria-label={t('monitoring.sources.enable', { name: source.name })}
      onChange={(event) => {
        const enabled = event.currentTarget.checked;
        toggle.mutate(
          { id: source.id, enabled },
          {
            onSuccess: () =>
              notifications.show({
                color: 'green',
                message: t(enabled ? 'monitoring.sources.enabledNow' : 'monitoring.sources.disabledNow', { name: source.name }),
              }),
            onError: (error) => notifications.show({ color: 'red', message: errorText(error, t) }),
          },
        );
      }}
      data-testid="source-switch"
    />
  );
}

function DnsblResults({ runs }: { runs: readonly DnsblRun[] }) {
  const { t } = useTranslation();
  const columns = useMemo(
    () =>
      runCol.columns([
        runCol.accessor('zone', {
          header: () => t('monitoring.sources.name'),
          cell: (info) => (
            <RouterAnchor to="/monitoring/reports/$id" params={{ id: info.row.original.reportId }} size="sm">
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        runCol.accessor('checked', { header: () => t('monitoring.sources.checked'), cell: (info) => info.getValue() }),
        runCol.accessor('listed', { header: () => t('monitoring.sources.listed'), cell: (info) => info.getValue() }),
        runCol.accessor('errors', { header: () => t('monitoring.overview.errors'), cell: (info) => info.getValue() }),
        runCol.accessor('queries', { header: () => t('monitoring.sources.queries'), cell: (info) => info.getValue() }),
        runCol.accessor('skippedForBudget', { header: () => t('monitoring.sources.skippedForBudget'), cell: (info) => info.getValue() }),
        runCol.accessor('findingsNew', { header: () => t('monitoring.upload.findingsNew'), cell: (info) => info.getValue() }),
        runCol.accessor('findingsReopened', { header: () => t('monitoring.upload.findingsReopened'), cell: (info) => info.getValue() }),
      ]),
    [t],
  );
  if (runs.length === 0) {
    return (
      <Text size="sm" role="status" data-testid="dnsbl-none">
        {t('monitoring.sources.dnsblNone')}
      </Text>
    );
  }
  return <DataTable data={runs} columns={columns} caption={t('monitoring.sources.dnsblResult')} getRowId={(row) => row.zone} testId="dnsbl-results" />;
}

/** Run the blacklist checks now instead of on the next working day, and see what each zone found. */
function RunDnsblPanel() {
  const { t } = useTranslation();
  const run = useRunDnsbl();
  const [runs, setRuns] = useState<DnsblRun[] | null>(null);
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="run-dnsbl-title" data-testid="run-dnsbl-panel">
      <Stack gap="xs">
        <Title order={2} size="h5" id="run-dnsbl-title">
          {t('monitoring.sources.runDnsbl')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('monitoring.sources.runDnsblHelp')}
        </Text>
        <Group>
          <Button
            leftSection={<IconPlayerPlay size={16} aria-hidden />}
            loading={run.isPending}
            onClick={() => {
              setRuns(null);
              run.mutate(undefined, { onSuccess: setRuns });
            }}
            data-testid="run-dnsbl"
          >
            {t('monitoring.sources.runDnsbl')}
          </Button>
        </Group>
        <ErrorAlert error={run.error} />
        {runs ? <DnsblResults runs={runs} /> : null}
      </Stack>
    </Paper>
  );
}

function RunFigure({ label, value, testId }: { label: string; value: number; testId: string }) {
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

/** What a blocklist feed or check made of its run on request. */
function SourceRunResult({ run }: { run: SourceRun }) {
  const { t } = useTranslation();
  return (
    <Alert
      color={run.error ? 'orange' : 'green'}
      variant="light"
      role="status"
      mb="md"
      title={t('monitoring.sources.run.resultTitle', { name: run.name })}
      data-testid="source-run-result"
    >
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 2, sm: 4, md: 7 }} spacing="xs">
          <RunFigure label={t('monitoring.sources.checked')} value={run.checked} testId="run-checked" />
          <RunFigure label={t('monitoring.upload.rowsTotal')} value={run.rowsTotal} testId="run-rows-total" />
          <RunFigure label={t('monitoring.upload.rowsMatched')} value={run.rowsMatched} testId="run-rows-matched" />
          <RunFigure label={t('monitoring.upload.rowsUnmatched')} value={run.rowsUnmatched} testId="run-rows-unmatched" />
          <RunFigure label={t('monitoring.upload.rowsFailed')} value={run.rowsFailed} testId="run-rows-failed" />
          <RunFigure label={t('monitoring.upload.findingsNew')} value={run.findingsNew} testId="run-findings-new" />
          <RunFigure label={t('monitoring.upload.findingsReopened')} value={run.findingsReopened} testId="run-findings-reopened" />
        </SimpleGrid>
        {run.error ? (
          <Text size="sm" c="red" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="run-error">
            {run.error}
          </Text>
        ) : null}
        {run.reportId ? (
          <RouterAnchor to="/monitoring/reports/$id" params={{ id: run.reportId }} size="sm">
            {t('monitoring.upload.viewReport')}
          </RouterAnchor>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** "Run now" for a blocklist feed or a check; other kinds run on their own (or together, DNSBL zones). */
function RunSourceButton({ source, onRun }: { source: Source; onRun: (outcome: { run: SourceRun } | { error: Error }) => void }) {
  const { t } = useTranslation();
  const run = useRunSource();
  if (!RUNNABLE_KINDS.includes(source.kind)) return <>—</>;
  return (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconPlayerPlay size={14} aria-hidden />}
      loading={run.isPending}
      aria-label={t('monitoring.sources.run.button', { name: source.name })}
      onClick={() => run.mutate(source.id, { onSuccess: (outcome) => onRun({ run: outcome }), onError: (error) => onRun({ error }) })}
      data-testid="run-source"
    >
      {t('monitoring.sources.run.label')}
    </Button>
  );
}

/** The CERT's sources: report formats, mapped CSV sources, DNSBL zones, blocklist feeds and checks, each switchable on and off. */
export function SourcesPage() {
  const { t } = useTranslation();
  const kindLabel = useSourceKindLabel();
  const query = useQuery(sourcesQuery);
  const [lastRun, setLastRun] = useState<{ run: SourceRun } | { error: Error } | null>(null);
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', {
          header: () => t('monitoring.sources.name'),
          cell: (info) => (
            <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }} data-testid="source-name">
              {info.getValue()}
            </Text>
          ),
        }),
        col.accessor('kind', { header: () => t('monitoring.sources.kind'), cell: (info) => kindLabel(info.getValue()) }),
        col.display({ id: 'details', header: () => t('monitoring.sources.details'), cell: (info) => <SourceDetails source={info.row.original} /> }),
        col.accessor('enabled', { header: () => t('monitoring.sources.enabled'), cell: (info) => <EnabledSwitch source={info.row.original} /> }),
        col.accessor('lastRunAt', { header: () => t('monitoring.overview.lastRun'), cell: (info) => <LastRun at={info.getValue()} /> }),
        col.accessor('lastRows', { header: () => t('monitoring.overview.rows'), cell: (info) => info.getValue() }),
        col.accessor('lastErrors', { header: () => t('monitoring.overview.errors'), cell: (info) => info.getValue() }),
        col.accessor('lastError', { header: () => t('monitoring.overview.lastError'), cell: (info) => <LastError error={info.getValue()} /> }),
        col.display({ id: 'run', header: () => t('monitoring.sources.run.header'), cell: (info) => <RunSourceButton source={info.row.original} onRun={setLastRun} /> }),
      ]),
    [t, kindLabel],
  );

  return (
    <>
      <PageHeader title={t('monitoring.sources.title')} description={t('monitoring.sources.intro')} />
      <MonitoringSections current="sources" />
      <AddSourcePanel />
      <RunDnsblPanel />
      <ErrorAlert error={query.error} />
      <div data-testid="source-run-outcome">
        {lastRun && 'error' in lastRun ? <ErrorAlert error={lastRun.error} /> : null}
        {lastRun && 'run' in lastRun ? <SourceRunResult run={lastRun.run} /> : null}
      </div>
      <DataTable
        data={query.data ?? NO_ROWS}
        columns={columns}
        caption={t('monitoring.sources.title')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        emptyText={t('monitoring.sources.empty')}
        testId="sources-table"
      />
    </>
  );
}
