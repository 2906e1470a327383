import { Alert, Group, SimpleGrid, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { RouterAnchor } from '../../../components/router-links';
import type { IngestResult } from '../api';

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="md" fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** What the server made of an uploaded report: its type and how it knew, the row counts, new and reopened findings. */
export function IngestResultAlert({ result, fileName }: { result: IngestResult; fileName: string }) {
  const { t } = useTranslation();
  const detectedBy =
    result.detectedBy === 'file name'
      ? t('monitoring.upload.detectedBy.fileName')
      : result.detectedBy === 'columns'
        ? t('monitoring.upload.detectedBy.columns')
        : null;
  const warn = result.rowsFailed > 0 || result.unknownColumns.length > 0;
  return (
    <Alert
      role="status"
      color={warn ? 'orange' : 'green'}
      variant="light"
      icon={warn ? <IconAlertTriangle size={18} aria-hidden /> : <IconCircleCheck size={18} aria-hidden />}
      title={t('monitoring.upload.resultTitle', { fileName, reportType: result.reportType })}
      data-testid="upload-result"
      data-report-type={result.reportType}
    >
      {detectedBy ? (
        <Text size="sm" mb="xs" data-testid="upload-detected-by">
          {detectedBy}
        </Text>
      ) : null}
      <Text size="sm" mb="xs" data-testid="upload-summary">
        {t('monitoring.upload.summary', { new: result.findingsNew, reopened: result.findingsReopened, unmatched: result.rowsUnmatched })}
      </Text>
      <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="sm">
        <Count label={t('monitoring.upload.rowsTotal')} value={result.rowsTotal} testId="result-rows-total" />
        <Count label={t('monitoring.upload.rowsMatched')} value={result.rowsMatched} testId="result-rows-matched" />
        <Count label={t('monitoring.upload.rowsUnmatched')} value={result.rowsUnmatched} testId="result-rows-unmatched" />
        <Count label={t('monitoring.upload.rowsFailed')} value={result.rowsFailed} testId="result-rows-failed" />
        <Count label={t('monitoring.upload.findingsNew')} value={result.findingsNew} testId="result-findings-new" />
        <Count label={t('monitoring.upload.findingsReopened')} value={result.findingsReopened} testId="result-findings-reopened" />
      </SimpleGrid>
      {result.unknownColumns.length > 0 ? (
        <Text size="sm" mt="xs" c="orange" data-testid="upload-unknown-columns">
          {t('monitoring.upload.unknownColumns', { count: result.unknownColumns.length, list: result.unknownColumns.join(', ') })}
        </Text>
      ) : null}
      <Group mt="xs">
        <RouterAnchor to="/monitoring/reports/$id" params={{ id: result.id }} size="sm" data-testid="upload-report-link">
          {t('monitoring.upload.viewReport')}
        </RouterAnchor>
      </Group>
    </Alert>
  );
}
