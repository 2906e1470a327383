import { useMemo } from 'react';
import { Button, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { digestsQuery, type DigestKind } from '../api';
import { useOpenDigest } from '../mutations';
import { DigestStatusBadge } from '../components/digest-badges';

const routeApi = getRouteApi('/_app/digests');

/** The archive of end-of-week and end-of-month digests; for the CERT also the ones being written. */
export function DigestsPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const isCert = can(user.role, 'digests:write');
  const search = routeApi.useSearch();
  const setSearch = routeApi.useNavigate();
  const navigate = useNavigate();
  const query = useInfiniteQuery(digestsQuery(search));
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const open = useOpenDigest();
  const english = i18n.language.startsWith('en');
  const openDigest = (kind: DigestKind) => open.mutate(kind, { onSuccess: (d) => void navigate({ to: '/digests/$id', params: { id: d.id } }) });

  return (
    <>
      <PageHeader
        title={t('digests.title')}
        description={isCert ? t('digests.introCert') : t('digests.intro')}
        actions={
          isCert ? (
            <>
              <Button onClick={() => openDigest('week')} loading={open.isPending && open.variables === 'week'}>
                {t('digests.openWeek')}
              </Button>
              <Button variant="default" onClick={() => openDigest('month')} loading={open.isPending && open.variables === 'month'}>
                {t('digests.openMonth')}
              </Button>
            </>
          ) : null
        }
      />
      <ErrorAlert error={open.error ?? query.error} />
      <Group mb="sm">
        <SegmentedControl
          aria-label={t('digests.filterKind')}
          value={search.kind ?? 'all'}
          onChange={(v) => void setSearch({ search: v === 'week' || v === 'month' ? { kind: v } : {}, replace: true })}
          data={[
            { value: 'all', label: t('digests.kinds.all') },
            { value: 'week', label: t('digests.kinds.week') },
            { value: 'month', label: t('digests.kinds.month') },
          ]}
        />
      </Group>
      {query.isPending ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('digests.empty')}</Text>
      ) : (
        <Table striped highlightOnHover data-testid="digest-archive">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('digests.columns.title')}</Table.Th>
              <Table.Th>{t('digests.columns.kind')}</Table.Th>
              {isCert ? <Table.Th>{t('digests.columns.status')}</Table.Th> : null}
              <Table.Th>{t('digests.columns.sent')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <RouterAnchor to="/digests/$id" params={{ id: d.id }} fw={600}>
                    {english ? d.titleEn : d.title}
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>{t(`digests.kinds.${d.kind}`)}</Table.Td>
                {isCert ? (
                  <Table.Td>
                    <DigestStatusBadge status={d.status} />
                  </Table.Td>
                ) : null}
                <Table.Td>
                  {d.sentAt ? (
                    <DateTime value={d.sentAt} />
                  ) : d.scheduledAt && (d.status === 'draft' || d.status === 'approved') ? (
                    <Text size="sm" c="dimmed">
                      {t('digests.plannedFor')} <DateTime value={d.scheduledAt} />
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
    </>
  );
}
