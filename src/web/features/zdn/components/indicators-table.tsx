import { useMemo } from 'react';
import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { RouterAnchor } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { Indicator } from '../api';
import { AlsoInEvents, IndicatorStatusBadge, IndicatorTypeBadge, SeenAt, shortValue } from './zdn-badges';

const col = columnHelper<Indicator>();

interface IndicatorsTableProps {
  rows: readonly Indicator[];
  loading: boolean;
  caption: string;
  /** The event of each indicator is left out on an event's own page. */
  showEvent: boolean;
  emptyText?: string;
}

/** Indicators, each row's value linking to its detail page (j/k move between those links). */
export function IndicatorsTable({ rows, loading, caption, showEvent, emptyText }: IndicatorsTableProps) {
  const { t } = useTranslation();
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('type', {
          header: () => t('zdn.fields.type'),
          cell: (info) => <IndicatorTypeBadge type={info.getValue()} />,
        }),
        col.accessor('value', {
          header: () => (showEvent ? `${t('zdn.fields.value')} / ${t('zdn.fields.event')}` : t('zdn.fields.value')),
          cell: (info) => {
            const row = info.row.original;
            return (
              // Long hashes and URLs wrap anywhere, but the column keeps a readable width.
              <Box miw="12rem" style={{ overflowWrap: 'anywhere' }}>
                <RouterAnchor to="/zdn/indicators/$id" params={{ id: row.id }} size="sm" ff="monospace" data-row-link data-testid="indicator-link">
                  {shortValue(info.getValue())}
                </RouterAnchor>
                {showEvent ? (
                  <div>
                    <RouterAnchor to="/zdn/events/$id" params={{ id: row.eventId }} size="xs" data-testid="indicator-event">
                      {row.eventTitle}
                    </RouterAnchor>
                  </div>
                ) : null}
              </Box>
            );
          },
        }),
        col.accessor('tlp', {
          header: () => t('zdn.fields.tlp'),
          cell: (info) => <TlpBadge tlp={info.getValue()} />,
        }),
        col.accessor('confidence', {
          header: () => t('zdn.fields.confidence'),
          cell: (info) => <Text size="sm">{info.getValue()}</Text>,
        }),
        col.accessor('status', {
          header: () => t('zdn.fields.status'),
          cell: (info) => <IndicatorStatusBadge status={info.getValue()} expired={info.row.original.expired} />,
        }),
        col.accessor('alsoInEvents', {
          header: () => t('zdn.fields.alsoIn'),
          cell: (info) => <AlsoInEvents count={info.getValue()} />,
        }),
        col.accessor('sightings', {
          header: () => t('zdn.fields.sightings'),
          cell: (info) => <SeenAt sightings={info.getValue()} />,
        }),
      ]),
    [t, showEvent],
  );

  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={caption}
      getRowId={(row) => row.id}
      loading={loading}
      emptyText={emptyText ?? t('zdn.empty')}
      testId="indicators-table"
    />
  );
}
