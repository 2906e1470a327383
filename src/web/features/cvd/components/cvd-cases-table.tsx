import { useMemo } from 'react';
import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { RouterAnchor } from '../../../components/router-links';
import type { CvdSummary } from '../api';
import { CvdStatusBadge, FirstResponseBadge } from './cvd-badges';

const col = columnHelper<CvdSummary>();

interface CvdCasesTableProps {
  rows: readonly CvdSummary[];
  loading: boolean;
  caption: string;
  emptyText: string;
  /** The CERT opens its case page with the clocks and the parties; a party its own channel. */
  view: 'cert' | 'party';
}

function CaseLink({ id, reference, view }: { id: string; reference: string; view: 'cert' | 'party' }) {
  return (
    <Box className="nowrap">
      {view === 'cert' ? (
        <RouterAnchor to="/cvd-cases/$id" params={{ id }} size="sm" ff="monospace" data-row-link data-testid="cvd-case-link">
          {reference}
        </RouterAnchor>
      ) : (
        <RouterAnchor to="/cvd-party/$id" params={{ id }} size="sm" ff="monospace" data-row-link data-testid="cvd-case-link">
          {reference}
        </RouterAnchor>
      )}
    </Box>
  );
}

/** CVD cases, newest first; the reference links to the case (j/k move between the rows). */
export function CvdCasesTable({ rows, loading, caption, emptyText, view }: CvdCasesTableProps) {
  const { t } = useTranslation();
  const columns = useMemo(() => {
    const common = [
      col.accessor('reference', {
        header: () => t('cvd.fields.reference'),
        cell: (info) => <CaseLink id={info.row.original.id} reference={info.getValue()} view={view} />,
      }),
      col.accessor('title', {
        header: () => t('cvd.fields.title'),
        cell: (info) => (
          <Text size="sm" miw="14rem" data-testid="cvd-case-title">
            {info.getValue()}
          </Text>
        ),
      }),
      col.accessor('concerns', {
        header: () => t('cvd.fields.concerns'),
        cell: (info) => (
          <Text size="sm" style={{ wordBreak: 'break-word' }} data-testid="cvd-case-concerns">
            {info.getValue() || '—'}
          </Text>
        ),
      }),
      col.accessor('status', { header: () => t('cvd.fields.status'), cell: (info) => <CvdStatusBadge status={info.getValue()} /> }),
    ];
    const disclosure = col.accessor('disclosureDue', {
      header: () => (view === 'cert' ? t('cvd.fields.disclosureDue') : t('cvd.fields.embargo')),
      cell: (info) => <DateTime value={info.getValue()} dateOnly />,
    });
    if (view === 'party') return col.columns([...common, disclosure]);
    return col.columns([
      ...common,
      col.accessor('firstResponse', { header: () => t('cvd.fields.firstResponse'), cell: (info) => <FirstResponseBadge clock={info.getValue()} /> }),
      disclosure,
      col.accessor('parties', {
        header: () => t('cvd.fields.parties'),
        cell: (info) => (
          <Text size="sm" ta="right" data-testid="cvd-case-parties">
            {info.getValue()}
          </Text>
        ),
      }),
    ]);
  }, [t, view]);
  return <DataTable data={rows} columns={columns} caption={caption} getRowId={(row) => row.id} loading={loading} emptyText={emptyText} testId="cvd-cases-table" />;
}
