import { useMemo, useRef } from 'react';
import { Group, Text } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { indicatorsQuery } from '../api';
import { IndicatorFilters } from '../components/indicator-filters';
import { IndicatorsTable } from '../components/indicators-table';

const routeApi = getRouteApi('/_app/zdn');

/** "Detection network": every indicator the reader may see, newest first, searchable. */
export function IndicatorsPage() {
  const { t } = useTranslation();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const query = useInfiniteQuery(indicatorsQuery({ q: search.q, type: search.type }));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef });

  return (
    <>
      <PageHeader
        title={t('zdn.title')}
        description={t('zdn.intro')}
        actions={
          <RouterButton to="/zdn/events" variant="default" leftSection={<IconListDetails size={16} aria-hidden />} data-testid="zdn-events-link">
            {t('zdn.events.title')}
          </RouterButton>
        }
      />
      <IndicatorFilters value={search} onChange={(next) => void navigate({ search: next, replace: true })} />
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <IndicatorsTable rows={rows} loading={query.isPending} caption={t('zdn.title')} showEvent />
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
