import { useRef } from 'react';
import { Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NO_ROWS } from '../../../components/data-table';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { reportsQuery } from '../api';
import { MonitoringSections } from '../components/monitoring-sections';
import { ReportsTable } from '../components/reports-table';
import { UploadReportPanel } from '../components/upload-report-panel';

/** The CERT's reports: the upload form, and every report received with its counts. */
export function ReportsPage() {
  const { t } = useTranslation();
  const query = useQuery(reportsQuery);
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
          <ReportsTable rows={query.data ?? NO_ROWS} loading={query.isPending} />
        </div>
      </section>
    </>
  );
}
