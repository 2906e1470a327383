import { useCallback, useMemo } from 'react';
import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import type { Report } from '../api';

const col = columnHelper<Report>();
const VIA = ['upload', 'folder', 'mail', 'schedule', 'manual'] as const;

export function useViaLabel(): (via: string) => string {
  const { t } = useTranslation();
  return useCallback((via: string) => ((VIA as readonly string[]).includes(via) ? t(`monitoring.reports.viaValue.${via as (typeof VIA)[number]}`) : via), [t]);
}

/** Received reports and check runs, each linking to its page with the rows that could not be read. */
export function ReportsTable({ rows, loading }: { rows: readonly Report[]; loading: boolean }) {
  const { t } = useTranslation();
  const viaLabel = useViaLabel();
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('createdAt', { header: () => t('monitoring.reports.received'), cell: (info) => <DateTime value={info.getValue()} /> }),
        col.accessor('fileName', {
          header: () => t('monitoring.reports.fileName'),
          cell: (info) => (
            <Box miw="14rem" style={{ overflowWrap: 'anywhere' }}>
              <RouterAnchor to="/monitoring/reports/$id" params={{ id: info.row.original.id }} size="sm" data-row-link data-testid="report-link">
                {info.getValue()}
              </RouterAnchor>
            </Box>
          ),
        }),
        col.accessor('reportType', {
          header: () => t('monitoring.reports.type'),
          cell: (info) => (
            <Text size="sm" ff="monospace">
              {info.getValue()}
            </Text>
          ),
        }),
        col.accessor('receivedVia', { header: () => t('monitoring.reports.via'), cell: (info) => viaLabel(info.getValue()) }),
        col.accessor('rowsTotal', { header: () => t('monitoring.upload.rowsTotal'), cell: (info) => info.getValue() }),
        col.accessor('rowsMatched', { header: () => t('monitoring.upload.rowsMatched'), cell: (info) => info.getValue() }),
        col.accessor('rowsUnmatched', { header: () => t('monitoring.upload.rowsUnmatched'), cell: (info) => info.getValue() }),
        col.accessor('rowsFailed', {
          header: () => t('monitoring.upload.rowsFailed'),
          cell: (info) =>
            info.getValue() > 0 ? (
              <RouterAnchor to="/monitoring/reports/$id" params={{ id: info.row.original.id }} size="sm" c="red" data-testid="report-failed-link">
                {info.getValue()}
              </RouterAnchor>
            ) : (
              0
            ),
        }),
        col.accessor('findingsNew', { header: () => t('monitoring.upload.findingsNew'), cell: (info) => info.getValue() }),
        col.accessor('findingsReopened', { header: () => t('monitoring.upload.findingsReopened'), cell: (info) => info.getValue() }),
      ]),
    [t, viaLabel],
  );
  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={t('monitoring.reports.title')}
      getRowId={(row) => row.id}
      loading={loading}
      emptyText={t('monitoring.reports.empty')}
      testId="reports-table"
    />
  );
}
