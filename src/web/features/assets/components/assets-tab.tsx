import { useMemo, useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { organisationAssetsQuery, type Asset } from '../api';
import { AssetStatusBadge, OverlapBadge } from './asset-badges';
import { AssetImportModal } from './asset-import-modal';
import { AssetProposalModal } from './asset-proposal-modal';
import { AssetValue } from './asset-value';

const col = columnHelper<Asset>();

export function AssetsTab({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const query = useQuery(organisationAssetsQuery(organisationId));
  const [dialog, setDialog] = useState<'none' | 'propose' | 'import'>('none');
  const canPropose = can(useCurrentUser().role, 'assets:propose');

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('type', {
          header: () => t('asset.fields.type'),
          cell: (info) => t(`asset.type.${info.getValue()}`),
        }),
        col.display({
          id: 'value',
          header: () => t('asset.fields.value'),
          cell: (info) => <AssetValue asset={info.row.original} />,
        }),
        col.accessor('status', {
          header: () => t('asset.fields.status'),
          cell: (info) => {
            const asset = info.row.original;
            return (
              <Stack gap={2}>
                <AssetStatusBadge status={info.getValue()} />
                {asset.status === 'rejected' && asset.rejectReason ? (
                  <Text size="xs" c="dimmed">
                    {asset.rejectReason}
                  </Text>
                ) : null}
              </Stack>
            );
          },
        }),
        col.accessor('overlaps', {
          header: () => t('asset.fields.overlaps'),
          cell: (info) => <OverlapBadge overlaps={info.getValue()} />,
        }),
        col.accessor('createdAt', {
          header: () => t('asset.fields.createdAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.accessor('decidedAt', {
          header: () => t('asset.fields.decidedAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
      ]),
    [t],
  );

  return (
    <Stack gap="sm">
      {canPropose ? (
        <Group justify="flex-end" gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconFileImport size={14} aria-hidden />}
            onClick={() => setDialog('import')}
            data-testid="import-assets"
          >
            {t('import.open')}
          </Button>
          <Button
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => setDialog('propose')}
            data-testid="propose-asset"
          >
            {t('asset.propose')}
          </Button>
        </Group>
      ) : null}
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.items ?? NO_ROWS}
        columns={columns}
        caption={t('organisation.tabs.assets')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        emptyText={t('asset.empty')}
        testId="assets-table"
      />
      {dialog === 'propose' ? (
        <AssetProposalModal organisationId={organisationId} onClose={() => setDialog('none')} />
      ) : null}
      {dialog === 'import' ? (
        <AssetImportModal organisationId={organisationId} onClose={() => setDialog('none')} />
      ) : null}
    </Stack>
  );
}
