import { useMemo, useState } from 'react';
import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { approvalQueueQuery, assetKeys, assetsApi, type QueuedAsset } from '../api';
import { OverlapBadge } from '../components/asset-badges';
import { AssetValue } from '../components/asset-value';
import { RejectAssetModal } from '../components/reject-asset-modal';

const col = columnHelper<QueuedAsset>();

function label(asset: QueuedAsset): string {
  return asset.product ? `${asset.product.vendor} ${asset.product.product}` : asset.value;
}

export function ApprovalsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(approvalQueueQuery);
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const [rejecting, setRejecting] = useState<QueuedAsset | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: assetKeys.all });

  const approve = useMutation({
    mutationFn: (asset: QueuedAsset) => assetsApi.approve(asset.id),
    onSuccess: async (_result, asset) => {
      notifications.show({ color: 'green', message: t('approvals.approved', { value: label(asset) }) });
      await refresh();
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  const reject = useMutation({
    mutationFn: (input: { asset: QueuedAsset; reason: string }) =>
      assetsApi.reject(input.asset.id, input.reason),
    onSuccess: async (_result, input) => {
      notifications.show({ color: 'green', message: t('approvals.rejected', { value: label(input.asset) }) });
      setRejecting(null);
      await refresh();
    },
  });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('organisationName', {
          header: () => t('asset.fields.organisation'),
          cell: (info) => (
            <RouterAnchor
              to="/organisations/$id"
              params={{ id: info.row.original.organisationId }}
              search={{ tab: 'assets' }}
              size="sm"
            >
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        col.accessor('type', {
          header: () => t('asset.fields.type'),
          cell: (info) => t(`asset.type.${info.getValue()}`),
        }),
        col.display({
          id: 'value',
          header: () => t('asset.fields.value'),
          cell: (info) => <AssetValue asset={info.row.original} />,
        }),
        col.accessor('overlaps', {
          header: () => t('asset.fields.overlaps'),
          cell: (info) => <OverlapBadge overlaps={info.getValue()} />,
        }),
        col.accessor('createdAt', {
          header: () => t('asset.fields.createdAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.display({
          id: 'actions',
          header: () => t('common.actions'),
          cell: (info) => {
            const asset = info.row.original;
            const busy = approve.isPending && approve.variables?.id === asset.id;
            return (
              <Group gap={4} wrap="nowrap">
                <Button size="compact-sm" color="teal" loading={busy} onClick={() => approve.mutate(asset)}>
                  {t('approvals.approve')}
                </Button>
                <Button
                  size="compact-sm"
                  variant="default"
                  onClick={() => {
                    reject.reset();
                    setRejecting(asset);
                  }}
                >
                  {t('approvals.reject')}
                </Button>
              </Group>
            );
          },
        }),
      ]),
    [t, approve, reject],
  );

  return (
    <>
      <PageHeader title={t('nav.approvals')} description={t('approvals.intro')} />
      <ErrorAlert error={query.error} />
      <DataTable
        data={rows}
        columns={columns}
        caption={t('nav.approvals')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        emptyText={t('approvals.empty')}
        testId="approvals-table"
      />
      <LoadMoreButton
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
      />
      {rejecting ? (
        <RejectAssetModal
          value={label(rejecting)}
          pending={reject.isPending}
          error={reject.error}
          onReject={(reason) => reject.mutate({ asset: rejecting, reason })}
          onClose={() => setRejecting(null)}
        />
      ) : null}
    </>
  );
}
