import { useMemo } from 'react';
import { Button, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { organisationsQuery, type Organisation } from '../api';
import { MembershipBadge } from '../components/organisation-badges';
import { OrganisationFiltersBar } from '../components/organisation-filters';
import { OrganisationFormModal } from '../components/organisation-form-modal';

const routeApi = getRouteApi('/_app/organisations');
const col = columnHelper<Organisation>();

export function OrganisationsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [formOpened, form] = useDisclosure(false);
  const query = useInfiniteQuery(organisationsQuery(search));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', {
          header: () => t('organisation.fields.name'),
          cell: (info) => (
            <RouterAnchor to="/organisations/$id" params={{ id: info.row.original.id }} size="sm">
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        col.accessor('shortName', {
          header: () => t('organisation.fields.shortName'),
          cell: (info) => info.getValue() ?? '—',
        }),
        col.accessor('kind', {
          header: () => t('organisation.fields.kind'),
          cell: (info) => t(`organisation.kind.${info.getValue()}`),
        }),
        col.accessor('segment', {
          header: () => t('organisation.fields.segment'),
          cell: (info) => {
            const segment = info.getValue();
            return segment ? t(`organisation.segment.${segment}`) : '—';
          },
        }),
        col.accessor('membershipStatus', {
          header: () => t('organisation.fields.membershipStatus'),
          cell: (info) => <MembershipBadge status={info.getValue()} />,
        }),
        col.accessor('memberSince', {
          header: () => t('organisation.fields.memberSince'),
          cell: (info) => <DateTime value={info.getValue()} dateOnly />,
        }),
      ]),
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('nav.organisations')}
        actions={
          can(user.role, 'organisations:create') ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={form.open}
              data-testid="new-organisation"
            >
              {t('organisation.new')}
            </Button>
          ) : null
        }
      />
      <OrganisationFiltersBar
        value={search}
        onChange={(next) => void navigate({ search: next, replace: true })}
      />
      <ErrorAlert error={query.error} />
      <DataTable
        data={rows}
        columns={columns}
        caption={t('nav.organisations')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        testId="organisations-table"
      />
      {rows.length > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('common.shown', { count: rows.length })}
        </Text>
      ) : null}
      <LoadMoreButton
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
      />
      {formOpened ? (
        <OrganisationFormModal
          opened
          onClose={form.close}
          onCreated={(organisation) => {
            form.close();
            void navigate({ to: '/organisations/$id', params: { id: organisation.id } });
          }}
        />
      ) : null}
    </>
  );
}
