import { useMemo, useRef } from 'react';
import { Group, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { casesQuery } from '../api';
import { CvdCasesTable } from '../components/cvd-cases-table';
import { CvdFilters } from '../components/cvd-filters';
import { DashboardStrip } from '../components/dashboard-strip';

const routeApi = getRouteApi('/_app/cvd-cases');

/**
 * "Vulnerability reports": the CERT sees every case, with the clocks that need it on top; a
 * participant or manufacturer sees the cases it is a party to, each opening its own channel.
 */
export function CvdCasesPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const isCert = can(user.role, 'cvd:write');
  const query = useInfiniteQuery(casesQuery(search));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef });
  const filtered = Object.values(search).some((value) => value !== undefined);

  return (
    <>
      <PageHeader title={t('cvd.title')} description={isCert ? t('cvd.introCert') : t('cvd.introParty')} />
      {isCert ? <DashboardStrip /> : null}
      <CvdFilters value={search} onChange={(next) => void navigate({ search: next, replace: true })} />
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <CvdCasesTable
          rows={rows}
          loading={query.isPending}
          caption={t('cvd.title')}
          emptyText={filtered ? t('cvd.emptyFiltered') : isCert ? t('cvd.empty') : t('cvd.emptyParty')}
          view={isCert ? 'cert' : 'party'}
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
