import { useMemo, useRef } from 'react';
import { Group, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { findingsQuery, statsQuery } from '../api';
import { FindingFilters } from '../components/finding-filters';
import { FindingsTable } from '../components/findings-table';
import { MonitoringSections } from '../components/monitoring-sections';
import { StatsPanel } from '../components/stats-panel';

const routeApi = getRouteApi('/_app/monitoring');

/**
 * "Monitoring": a participant's findings about its own systems with its picture over time; for the
 * CERT the findings of every participant, filterable by participant.
 */
export function FindingsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const isCert = can(user.role, 'monitoring:write');
  const organisationId = isCert ? search.organisationId : undefined;
  const filters = { ...search, organisationId };
  const query = useInfiniteQuery(findingsQuery(filters));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  // The same request as the stats panel (shared in the cache): which types occur, for the type filter.
  const stats = useQuery(statsQuery(organisationId));
  const seenTypes = useMemo(() => stats.data?.openByType.map((row) => row.type) ?? [], [stats.data]);
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef });
  const filtered = Object.values(filters).some((value) => value !== undefined);

  return (
    <>
      <PageHeader title={t('monitoring.title')} description={isCert ? t('monitoring.introCert') : t('monitoring.intro')} />
      <MonitoringSections current="findings" />
      <StatsPanel organisationId={organisationId} scope={!isCert ? 'own' : organisationId ? 'organisation' : 'sector'} />
      <FindingFilters value={filters} onChange={(next) => void navigate({ search: next, replace: true })} withOrganisation={isCert} extraTypes={seenTypes} />
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <FindingsTable
          rows={rows}
          loading={query.isPending}
          caption={t('monitoring.sections.findings')}
          showOrganisation={isCert}
          emptyText={filtered ? t('monitoring.emptyFiltered') : t('monitoring.empty')}
        />
      </div>
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {rows.length > 0 ? t('common.shown', { count: rows.length }) : null}
        </Text>
      </Group>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
    </>
  );
}
