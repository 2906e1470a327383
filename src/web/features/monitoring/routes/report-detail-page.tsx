import { useMemo } from 'react';
import { Code, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { reportQuery, type ReportDetail } from '../api';
import { MonitoringSections } from '../components/monitoring-sections';
import { useViaLabel } from '../components/reports-table';

const routeApi = getRouteApi('/_app/monitoring/reports/$id');

type FailedRow = ReportDetail['failedRows'][number];
const col = columnHelper<FailedRow>();
// The server keeps (and returns) at most this many unreadable rows of a report.
const FAILED_ROWS_KEPT = 1000;

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
      <section aria-labelledby="failed-rows-title">
        <Title order={2} size="h5" mb="xs" id="failed-rows-title">
          {t('monitoring.reports.failedRows')}
        </Title>
        {report.failedRows.length >= FAILED_ROWS_KEPT ? (
          <Text size="xs" c="dimmed" mb="xs">
            {t('monitoring.reports.failedRowsLimit')}
          </Text>
        ) : null}
        <FailedRows rows={report.failedRows} />
      </section>
    </>
  );
}
