import { useMemo, useState } from 'react';
import { Code, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { failedRowsQuery, reportQuery, type FailedRow, type ReportDetail } from '../api';
import { MonitoringSections } from '../components/monitoring-sections';
import { useViaLabel } from '../components/reports-table';

const routeApi = getRouteApi('/_app/monitoring/reports/$id');

const col = columnHelper<FailedRow>();

function Summary({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  const viaLabel = useViaLabel();
  const fields: { label: string; value: React.ReactNode; testId: string }[] = [
    { label: t('monitoring.reports.received'), value: <DateTime value={report.createdAt} />, testId: 'report-received' },
    { label: t('monitoring.reports.type'), value: report.reportType, testId: 'report-type' },
    { label: t('monitoring.reports.via'), value: viaLabel(report.receivedVia), testId: 'report-via' },
    { label: t('monitoring.upload.rowsTotal'), value: report.rowsTotal, testId: 'report-rows-total' },
    { label: t('monitoring.upload.rowsMatched'), value: report.rowsMatched, testId: 'report-rows-matched' },
    { label: t('monitoring.upload.rowsUnmatched'), value: report.rowsUnmatched, testId: 'report-rows-unmatched' },
    { label: t('monitoring.upload.rowsFailed'), value: report.rowsFailed, testId: 'report-rows-failed' },
    { label: t('monitoring.upload.findingsNew'), value: report.findingsNew, testId: 'report-findings-new' },
    { label: t('monitoring.upload.findingsReopened'), value: report.findingsReopened, testId: 'report-findings-reopened' },
  ];
  return (
    <Paper withBorder p="sm" mb="md">
      <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }} spacing="sm" component="dl" m={0}>
        {fields.map((field) => (
          <Stack gap={0} key={field.testId}>
            <Text component="dt" size="xs" c="dimmed">
              {field.label}
            </Text>
            <Text component="dd" size="sm" m={0} data-testid={field.testId}>
              {field.value}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
      {report.unknownColumns.length > 0 ? (
        <Text size="sm" mt="sm" c="orange" data-testid="report-unknown-columns">
          {t('monitoring.upload.unknownColumns', { count: report.unknownColumns.length, list: report.unknownColumns.join(', ') })}
        </Text>
      ) : null}
    </Paper>
  );
}

function FailedRows({ rows }: { rows: readonly FailedRow[] }) {
  const { t } = useTranslation();
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('line', { header: () => t('monitoring.reports.line'), cell: (info) => info.getValue() }),
        col.accessor('reason', {
          header: () => t('monitoring.reports.reason'),
          cell: (info) => (
            <Text size="sm" miw="14rem">
              {info.getValue()}
            </Text>
          ),
        }),
        col.accessor('raw', {
          header: () => t('monitoring.reports.raw'),
          cell: (info) => (
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {info.getValue()}
            </Code>
          ),
        }),
      ]),
    [t],
  );
  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={t('monitoring.reports.failedRows')}
      getRowId={(row) => `${row.line}`}
      emptyText={t('monitoring.reports.failedRowsEmpty')}
      testId="failed-rows"
    />
  );
}

/**
 * The unreadable rows: the first page comes with the report; "Load more" fetches the pages after it
 * (from the report's failedRowsNextCursor), only once asked.
 */
function useFailedRows(report: ReportDetail) {
  const [asked, setAsked] = useState(false);
  const from = report.failedRowsNextCursor;
  const rest = useInfiniteQuery({ ...failedRowsQuery(report.id, from ?? ''), enabled: asked && from !== null });
  const rows = useMemo(() => [...report.failedRows, ...(rest.data?.pages.flatMap((page) => page.items) ?? [])], [report.failedRows, rest.data]);
  return {
    rows,
    error: rest.error,
    hasMore: from !== null && (rest.data ? rest.hasNextPage : true),
    loading: asked && rest.isFetching,
    loadMore: () => {
      if (asked) void rest.fetchNextPage();
      else setAsked(true);
    },
  };
}

function FailedRowsSection({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  const failed = useFailedRows(report);
  return (
    <section aria-labelledby="failed-rows-title">
      <Title order={2} size="h5" mb="xs" id="failed-rows-title">
        {t('monitoring.reports.failedRows')}
      </Title>
      <FailedRows rows={failed.rows} />
      {report.failedRowsTotal > 0 ? (
        <Text size="xs" c="dimmed" mt="xs" data-testid="failed-rows-shown">
          {t('monitoring.reports.failedRowsShown', { shown: failed.rows.length, total: report.failedRowsTotal })}
        </Text>
      ) : null}
      <ErrorAlert error={failed.error} />
      <LoadMoreButton hasMore={failed.hasMore} loading={failed.loading} onLoadMore={failed.loadMore} />
    </section>
  );
}

/** One received report: its counts, the columns it did not know, and the rows that could not be read, with why. */
export function ReportDetailPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const query = useQuery(reportQuery(id));
  const report = query.data;
  const back = (
    <RouterButton to="/monitoring/reports" variant="default" leftSection={<IconFileUpload size={16} aria-hidden />}>
      {t('monitoring.reports.back')}
    </RouterButton>
  );

  if (!report) {
    return (
      <>
        <PageHeader title={t('monitoring.reports.one')} actions={back} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }
  return (
    <>
      <PageHeader title={report.fileName} description={t('monitoring.reports.one')} actions={back} />
      <MonitoringSections current="reports" />
      <Summary report={report} />
      {/* Keyed by the report: the rows loaded with "Load more" are this report's. */}
      <FailedRowsSection key={report.id} report={report} />
    </>
  );
}
