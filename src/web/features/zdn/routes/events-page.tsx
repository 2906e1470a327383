import { useMemo, useRef } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconRadar } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { eventsQuery, type ZdnEvent } from '../api';
import { NewEventModal } from '../components/new-event-modal';

const col = columnHelper<ZdnEvent>();

export function EventsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const query = useInfiniteQuery(eventsQuery);
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const [newOpened, newModal] = useDisclosure(false);
  const maySubmit = can(user.role, 'zdn:submit');
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef, onNew: maySubmit ? newModal.open : undefined });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('date', {
          header: () => t('zdn.fields.date'),
          cell: (info) => <DateTime value={info.getValue()} dateOnly />,
        }),
        col.accessor('title', {
          header: () => t('zdn.fields.title'),
          cell: (info) => (
            <RouterAnchor to="/zdn/events/$id" params={{ id: info.row.original.id }} size="sm" fw={500} data-row-link>
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        col.accessor('tlp', {
          header: () => t('zdn.fields.tlp'),
          cell: (info) => <TlpBadge tlp={info.getValue()} />,
        }),
        col.accessor('indicatorCount', {
          header: () => t('zdn.fields.indicators'),
          cell: (info) => info.getValue(),
        }),
        col.accessor('updatedAt', {
          header: () => t('zdn.fields.updatedAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
      ]),
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('zdn.events.title')}
        description={t('zdn.events.intro')}
        actions={
          <>
            <RouterButton to="/zdn" variant="default" leftSection={<IconRadar size={16} aria-hidden />}>
              {t('zdn.allIndicators')}
            </RouterButton>
            {maySubmit ? (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={newModal.open} data-testid="new-event">
                {t('zdn.events.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <DataTable
          data={rows}
          columns={columns}
          caption={t('zdn.events.title')}
          getRowId={(row) => row.id}
          loading={query.isPending}
          emptyText={t('zdn.events.empty')}
          testId="events-table"
        />
      </div>
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {rows.length > 0 ? t('common.shown', { count: rows.length }) : null}
        </Text>
      </Group>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {newOpened ? (
        <NewEventModal
          isSubmission={!can(user.role, 'zdn:write')}
          onClose={newModal.close}
          onCreated={(event) => {
            newModal.close();
            void navigate({ to: '/zdn/events/$id', params: { id: event.id } });
          }}
        />
      ) : null}
    </>
  );
}
