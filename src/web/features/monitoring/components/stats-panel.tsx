import { Grid, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { formatDate, intlLocale } from '../../../lib/format';
import { FINDING_STATUS_LIST, OPEN_STATUSES, statsQuery, type FindingStatus, type MonitoringStats } from '../api';
import { AreaChart, BarList, ChartLegend } from './charts';

export const STATUS_BAR_COLOR: Record<FindingStatus, string> = {
  new: 'red',
  notified: 'orange',
  acknowledged: 'blue',
  resolved: 'green',
  accepted_risk: 'gray',
};

/** "36 hours" below two days, "4.5 days" from then on. */
export function meanTimeText(hours: number | null, t: TFunction, language: string): string {
  if (hours === null) return t('monitoring.stats.mttrNone');
  const number = new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 });
  if (hours < 48) return t('monitoring.stats.mttrHours', { count: hours, value: number.format(hours) });
  const days = Math.round((hours / 24) * 10) / 10;
  return t('monitoring.stats.mttrDays', { count: days, value: number.format(days) });
}

export function Figure({ label, value, testId, muted = false }: { label: string; value: string | number; testId: string; muted?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size={muted ? 'sm' : 'xl'} fw={muted ? 400 : 600} c={muted ? 'dimmed' : undefined} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** Findings by status as bars, with their numbers. */
export function StatusBars({ byStatus }: { byStatus: Record<string, number> }) {
  const { t } = useTranslation();
  return (
    <BarList
      label={t('monitoring.stats.byStatus')}
      testId="status-count"
      items={FINDING_STATUS_LIST.map((status) => ({
        key: status,
        label: t(`monitoring.status.${status}`),
        value: byStatus[status] ?? 0,
        color: STATUS_BAR_COLOR[status],
      }))}
    />
  );
}

/** Open findings and findings under accepted risk per day, as two lines with their legend. */
function OpenOverTime({ stats }: { stats: MonitoringStats }) {
  const { t, i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  const days = stats.openOverTime;
  const first = days[0];
  const last = days[days.length - 1];
  const from = first ? formatDate(first.day, locale) : '—';
  const series = [
    { key: 'open', label: t('monitoring.stats.seriesOpen'), values: days.map((d) => d.open), color: 'blue', latest: last?.open ?? 0 },
    {
      key: 'accepted-risk',
      label: t('monitoring.stats.seriesAcceptedRisk'),
      values: days.map((d) => d.acceptedRisk),
      color: STATUS_BAR_COLOR.accepted_risk,
      dashed: true,
      latest: last?.acceptedRisk ?? 0,
    },
  ];
  const description = [
    t('monitoring.stats.openOverTimeLabel', { first: first?.open ?? 0, from, last: last?.open ?? 0, max: Math.max(0, ...days.map((d) => d.open)) }),
    t('monitoring.stats.acceptedOverTimeLabel', {
      first: first?.acceptedRisk ?? 0,
      from,
      last: last?.acceptedRisk ?? 0,
      max: Math.max(0, ...days.map((d) => d.acceptedRisk)),
    }),
  ].join(' ');
  return (
    <>
      <AreaChart
        series={series}
        description={description}
        firstLabel={first ? formatDate(first.day, locale) : ''}
        lastLabel={last ? formatDate(last.day, locale) : ''}
        testId="open-over-time"
      />
      <ChartLegend series={series} label={t('monitoring.stats.legend')} testId="chart-legend" />
    </>
  );
}

/**
 * The picture over time: open findings and findings under accepted risk per day over 90 days, the mean time to resolve, and the
 * counts by status — of the participant's own organisation, or for the CERT the sector's or one participant's.
 */
export function StatsPanel({ organisationId, scope }: { organisationId: string | undefined; scope: 'own' | 'sector' | 'organisation' }) {
  const { t, i18n } = useTranslation();
  const query = useQuery(statsQuery(organisationId));
  const stats = query.data;
  const title =
    scope === 'own' ? t('monitoring.stats.title') : scope === 'sector' ? t('monitoring.stats.titleSector') : t('monitoring.stats.titleOrganisation');
  const openNow = stats ? OPEN_STATUSES.reduce((sum, status) => sum + (stats.byStatus[status] ?? 0), 0) : 0;

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="monitoring-stats-title" data-testid="monitoring-stats">
      <Title order={2} size="h5" mb="xs" id="monitoring-stats-title">
        {title}
      </Title>
      <ErrorAlert error={query.error} />
      {query.isPending ? <LoadingIndicator /> : null}
      {stats ? (
        <Grid gutter="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Text size="sm" fw={500} mb={4}>
              {t('monitoring.stats.openOverTime')}
            </Text>
            <OpenOverTime stats={stats} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="sm">
              <Grid gutter="xs">
                <Grid.Col span={6}>
                  <Figure label={t('monitoring.stats.openNow')} value={openNow} testId="stats-open-now" />
                </Grid.Col>
                <Grid.Col span={6}>
                  <Figure
                    label={t('monitoring.stats.mttr')}
                    value={meanTimeText(stats.meanTimeToResolveHours, t, i18n.language)}
                    testId="stats-mttr"
                    muted={stats.meanTimeToResolveHours === null}
                  />
                </Grid.Col>
              </Grid>
              <div>
                <Text size="sm" fw={500} mb={4}>
                  {t('monitoring.stats.byStatus')}
                </Text>
                <StatusBars byStatus={stats.byStatus} />
              </div>
            </Stack>
          </Grid.Col>
        </Grid>
      ) : null}
    </Paper>
  );
}
