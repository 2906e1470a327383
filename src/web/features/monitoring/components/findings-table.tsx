import { useMemo } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import type { Finding } from '../api';
import { FindingStatusBadge, RecheckBadge, ReopenedBadge, SeverityBadge, systemOf, useFindingTypeLabel } from './monitoring-badges';

const col = columnHelper<Finding>();

interface FindingsTableProps {
  rows: readonly Finding[];
  loading: boolean;
  caption: string;
  /** The CERT sees every participant's findings, so which one is a column (linking to its filter). */
  showOrganisation: boolean;
  emptyText: string;
}

/** Findings, newest sighting first; each row's address links to its detail page (j/k move between them). */
export function FindingsTable({ rows, loading, caption, showOrganisation, emptyText }: FindingsTableProps) {
  const { t } = useTranslation();
  const typeLabel = useFindingTypeLabel();
  const columns = useMemo(() => {
    const type = col.accessor('type', {
      header: () => t('monitoring.fields.type'),
      cell: (info) => (
        <Box miw="12rem">
          <Text size="sm" data-testid="finding-type" data-type={info.getValue()}>
            {typeLabel(info.getValue())}
          </Text>
        </Box>
      ),
    });
    const system = col.accessor('subject', {
      header: () => t('monitoring.fields.system'),
      cell: (info) => (
        <Box className="nowrap">
          <RouterAnchor to="/monitoring/findings/$id" params={{ id: info.row.original.id }} size="sm" ff="monospace" data-row-link data-testid="finding-link">
            {systemOf(info.row.original)}
          </RouterAnchor>
        </Box>
      ),
    });
    const asset = col.accessor('asset', {
      header: () => t('monitoring.fields.asset'),
      cell: (info) => (
        <Text size="sm" ff="monospace" className="nowrap">
          {info.getValue() ?? '—'}
        </Text>
      ),
    });
    const organisation = col.accessor('organisationName', {
      header: () => t('monitoring.fields.organisation'),
      cell: (info) => (
        <RouterAnchor to="/monitoring" search={{ organisationId: info.row.original.organisationId }} size="sm" data-testid="finding-organisation">
          {info.getValue()}
        </RouterAnchor>
      ),
    });
    const severity = col.accessor('severity', {
      header: () => t('monitoring.fields.severity'),
      cell: (info) => <SeverityBadge severity={info.getValue()} />,
    });
    const status = col.accessor('status', {
      header: () => t('monitoring.fields.status'),
      cell: (info) => (
        <Group gap={4} wrap="nowrap">
          <FindingStatusBadge status={info.getValue()} />
          <ReopenedBadge finding={info.row.original} />
          {info.row.original.recheckPending ? <RecheckBadge /> : null}
        </Group>
      ),
    });
    const sources = col.accessor('sources', {
      header: () => t('monitoring.fields.sources'),
      cell: (info) => <Text size="sm">{info.getValue().join(', ')}</Text>,
    });
    const firstSeen = col.accessor('firstSeen', {
      header: () => t('monitoring.fields.firstSeen'),
      cell: (info) => <DateTime value={info.getValue()} />,
    });
    const lastSeen = col.accessor('lastSeen', {
      header: () => t('monitoring.fields.lastSeen'),
      cell: (info) => <DateTime value={info.getValue()} />,
    });
    return showOrganisation
      ? col.columns([type, system, asset, organisation, severity, status, sources, firstSeen, lastSeen])
      : col.columns([type, system, asset, severity, status, sources, firstSeen, lastSeen]);
  }, [t, typeLabel, showOrganisation]);

  return (
    <DataTable data={rows} columns={columns} caption={caption} getRowId={(row) => row.id} loading={loading} emptyText={emptyText} testId="findings-table" />
  );
}
