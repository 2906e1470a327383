import { useMemo, useRef } from 'react';
import { Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { reportsQuery } from '../api';
import { MonitoringSections } from '../components/monitoring-sections';
import { ReportsTable } from '../components/reports-table';
import { UploadReportPanel } from '../components/upload-report-panel';

/** The CERT's reports: the upload form, and every report received with its counts, a page at a time. */
export function ReportsPage() {
  const { t } = useTranslation();
  const query = useInfiniteQuery(reportsQuery);
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef });

  return (
    <>
      <PageHeader title={t('monitoring.reports.title')} description={t('monitoring.reports.intro')} />
      <MonitoringSections current="reports" />
      <UploadReportPanel />
      <section aria-labelledby="received-reports-title">
        <Title order={2} size="h5" mb="xs" id="received-reports-title">
          {t('monitoring.reports.title')}
        </Title>
        <ErrorAlert error={query.error} />
        <div ref={tableRef}>
          <ReportsTable rows={rows} loading={query.isPending} />
        </div>
        <Text size="xs" c="dimmed" mt="xs">
          {rows.length > 0 ? t('common.shown', { count: rows.length }) : null}
        </Text>
        <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </section>
    </>
  );
}
