import { useMemo } from 'react';
import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { CaseSummary } from '../api';
import { CaseSeverityBadge, CaseStatusBadge } from './incident-badges';

const col = columnHelper<CaseSummary>();

interface IncidentsTableProps {
  rows: readonly CaseSummary[];
  loading: boolean;
  caption: string;
  emptyText: string;
}

/** Cases, newest first; the reference links to the case (j/k move between the rows). */
export function IncidentsTable({ rows, loading, caption, emptyText }: IncidentsTableProps) {
  const { t } = useTranslation();
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('reference', {
          header: () => t('incidents.fields.reference'),
          cell: (info) => (
            <Box className="nowrap">
              <RouterAnchor to="/incidents/$id" params={{ id: info.row.original.id }} size="sm" ff="monospace" data-row-link data-testid="case-link">
                {info.getValue()}
              </RouterAnchor>
            </Box>
          ),
        }),
        col.accessor('title', {
          header: () => t('incidents.fields.title'),
          cell: (info) => (
            <Text size="sm" miw="14rem" data-testid="case-title">
              {info.getValue()}
            </Text>
          ),
        }),
        col.accessor('organisations', {
          header: () => t('incidents.fields.organisations'),
          cell: (info) => (
            <Text size="sm" data-testid="case-organisations">
              {info.getValue().join(', ') || '—'}
            </Text>
          ),
        }),
        col.accessor('status', { header: () => t('incidents.fields.status'), cell: (info) => <CaseStatusBadge status={info.getValue()} /> }),
        col.accessor('severity', { header: () => t('incidents.fields.severity'), cell: (info) => <CaseSeverityBadge severity={info.getValue()} /> }),
        col.accessor('tlp', { header: () => t('incidents.fields.tlp'), cell: (info) => <TlpBadge tlp={info.getValue()} /> }),
        col.accessor('openedAt', { header: () => t('incidents.fields.opened'), cell: (info) => <DateTime value={info.getValue()} /> }),
        col.accessor('openTasks', {
          header: () => t('incidents.fields.openTasks'),
          cell: (info) => (
            <Text size="sm" ta="right" data-testid="case-open-tasks">
              {info.getValue()}
            </Text>
          ),
        }),
      ]),
    [t],
  );
  return (
    <DataTable data={rows} columns={columns} caption={caption} getRowId={(row) => row.id} loading={loading} emptyText={emptyText} testId="incidents-table" />
  );
}
