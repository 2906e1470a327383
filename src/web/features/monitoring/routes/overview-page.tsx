import { useMemo } from 'react';
import { Grid, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { OPEN_STATUSES, overviewQuery, type SectorOverview } from '../api';
import { MonitoringSections } from '../components/monitoring-sections';
import { OwnerLookupPanel } from '../components/owner-lookup-panel';
import { useFindingTypeLabel } from '../components/monitoring-badges';
import { EnabledBadge, LastError, LastRun, useSourceKindLabel } from '../components/source-badges';
import { Figure, StatusBars } from '../components/stats-panel';

type TopType = SectorOverview['openByType'][number];
type TopOrganisation = SectorOverview['topOrganisations'][number];
type SourceHealth = SectorOverview['sources'][number];

const typeCol = columnHelper<TopType>();
const orgCol = columnHelper<TopOrganisation>();
const sourceCol = columnHelper<SourceHealth>();

function TopTypes({ rows }: { rows: readonly TopType[] }) {
  const { t } = useTranslation();
  const typeLabel = useFindingTypeLabel();
  const columns = useMemo(
    () =>
      typeCol.columns([
        typeCol.accessor('type', {
          header: () => t('monitoring.fields.type'),
          cell: (info) => (
            <RouterAnchor to="/monitoring" search={{ type: info.getValue(), open: true }} size="sm">
              {typeLabel(info.getValue())}
            </RouterAnchor>
          ),
        }),
        typeCol.accessor('open', { header: () => t('monitoring.overview.open'), cell: (info) => info.getValue() }),
        typeCol.accessor('critical', { header: () => t('monitoring.overview.highCritical'), cell: (info) => info.getValue() }),
      ]),
    [t, typeLabel],
  );
  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={t('monitoring.overview.topTypes')}
      getRowId={(row) => row.type}
      emptyText={t('monitoring.overview.noOpen')}
      testId="top-types"
    />
  );
}

function TopOrganisations({ rows }: { rows: readonly TopOrganisation[] }) {
  const { t } = useTranslation();
  const columns = useMemo(
    () =>
      orgCol.columns([
        orgCol.accessor('name', {
          header: () => t('monitoring.fields.organisation'),
          cell: (info) => (
            <RouterAnchor to="/monitoring" search={{ organisationId: info.row.original.organisationId, open: true }} size="sm" data-testid="top-organisation">
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        orgCol.accessor('open', { header: () => t('monitoring.overview.open'), cell: (info) => info.getValue() }),
        orgCol.accessor('critical', { header: () => t('monitoring.overview.highCritical'), cell: (info) => info.getValue() }),
      ]),
    [t],
  );
  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={t('monitoring.overview.topOrganisations')}
      getRowId={(row) => row.organisationId}
      emptyText={t('monitoring.overview.noOpen')}
      testId="top-organisations"
    />
  );
}

/** Per source: on or off, when it last ran, how many rows and errors, the last error, and its open findings. */
export function SourceHealthTable({ rows }: { rows: readonly SourceHealth[] }) {
  const { t } = useTranslation();
  const kindLabel = useSourceKindLabel();
  const columns = useMemo(
    () =>
      sourceCol.columns([
        sourceCol.accessor('name', {
          header: () => t('monitoring.sources.name'),
          cell: (info) => (
            <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {info.getValue()}
            </Text>
          ),
        }),
        sourceCol.accessor('kind', { header: () => t('monitoring.sources.kind'), cell: (info) => kindLabel(info.getValue()) }),
        sourceCol.accessor('enabled', { header: () => t('monitoring.sources.enabled'), cell: (info) => <EnabledBadge enabled={info.getValue()} /> }),
        sourceCol.accessor('lastRunAt', { header: () => t('monitoring.overview.lastRun'), cell: (info) => <LastRun at={info.getValue()} /> }),
        sourceCol.accessor('lastRows', { header: () => t('monitoring.overview.rows'), cell: (info) => info.getValue() }),
        sourceCol.accessor('lastErrors', { header: () => t('monitoring.overview.errors'), cell: (info) => info.getValue() }),
        sourceCol.accessor('lastError', { header: () => t('monitoring.overview.lastError'), cell: (info) => <LastError error={info.getValue()} /> }),
        sourceCol.accessor('openFindings', { header: () => t('monitoring.overview.openFindings'), cell: (info) => info.getValue() }),
      ]),
    [t, kindLabel],
  );
  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={t('monitoring.overview.sourceHealth')}
      getRowId={(row) => row.id}
      emptyText={t('monitoring.overview.noSources')}
      testId="source-health"
    />
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={id} h="100%">
      <Title order={2} size="h5" mb="xs" id={id}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** The CERT's sector view: counts, what is found most, who has most open, and how the sources are doing. */
export function OverviewPage() {
  const { t } = useTranslation();
  const query = useQuery(overviewQuery);
  const overview = query.data;
  const openNow = overview ? OPEN_STATUSES.reduce((sum, status) => sum + (overview.byStatus[status] ?? 0), 0) : 0;

  return (
    <>
      <PageHeader title={t('monitoring.overview.title')} description={t('monitoring.overview.intro')} />
      <MonitoringSections current="overview" />
      <OwnerLookupPanel />
      <ErrorAlert error={query.error} />
      {query.isPending ? <LoadingIndicator /> : null}
      {overview ? (
        <>
          <Grid mb="md">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Section id="overview-counts" title={t('monitoring.overview.counts')}>
                <SimpleGrid cols={2} mb="sm">
                  <Figure label={t('monitoring.stats.openNow')} value={openNow} testId="overview-open-now" />
                </SimpleGrid>
                <StatusBars byStatus={overview.byStatus} />
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Section id="overview-types" title={t('monitoring.overview.topTypes')}>
                <TopTypes rows={overview.openByType.slice(0, 10)} />
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Section id="overview-organisations" title={t('monitoring.overview.topOrganisations')}>
                <TopOrganisations rows={overview.topOrganisations} />
              </Section>
            </Grid.Col>
          </Grid>
          <Section id="overview-sources" title={t('monitoring.overview.sourceHealth')}>
            <SourceHealthTable rows={overview.sources} />
          </Section>
        </>
      ) : null}
    </>
  );
}
