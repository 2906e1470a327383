import { useCallback, useMemo, useRef } from 'react';
import { Button, Group, Kbd, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { advisoriesQuery, type ProductSummary } from '../api';
import { RelevantBadge, StatusBadge, TlpBadge, UrgencyBadge, WithdrawnBadge } from '../components/advisory-badges';
import { ConsoleFilters, PortalFilters } from '../components/advisory-filters';
import { ImportCsafModal } from '../components/import-csaf-modal';
import { useRowKeyboard } from '../use-row-keyboard';

const routeApi = getRouteApi('/_app/advisories');
const col = columnHelper<ProductSummary>();

/** The row's main link: j/k move the focus between these, Enter follows them. */
function TitleLink({ row }: { row: ProductSummary }) {
  return (
    <RouterAnchor to="/advisories/$id" params={{ id: row.identifier ?? row.id }} size="sm" fw={500} data-row-link>
      {row.title}
    </RouterAnchor>
  );
}

export function AdvisoriesPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const filters = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [importOpened, importModal] = useDisclosure(false);
  const query = useInfiniteQuery(advisoriesQuery(filters));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const isEditor = can(user.role, 'advisories:write');
  // Relevance is computed against a participant's own assets; other organisations have none.
  const showRelevant = !isEditor && user.organisationKind === 'participant';
  const tableRef = useRef<HTMLDivElement>(null);

  const startNew = useCallback(() => void navigate({ to: '/advisories/new' }), [navigate]);
  useRowKeyboard({ container: tableRef, onNew: isEditor ? startNew : undefined });

  const consoleColumns = useMemo(
    () =>
      col.columns([
        col.accessor('identifier', {
          header: () => t('advisories.fields.identifier'),
          cell: (info) => <span className="nowrap">{info.getValue() ?? '—'}</span>,
        }),
        col.accessor('title', {
          header: () => t('advisories.fields.title'),
          cell: (info) => <TitleLink row={info.row.original} />,
        }),
        col.accessor('kind', {
          header: () => t('advisories.fields.kind'),
          cell: (info) => t(`advisories.kind.${info.getValue()}`),
        }),
        col.accessor('tlp', {
          header: () => t('advisories.fields.tlp'),
          cell: (info) => {
            const tlp = info.getValue();
            return tlp ? <TlpBadge tlp={tlp} /> : '—';
          },
        }),
        col.accessor('status', {
          header: () => t('advisories.fields.status'),
          cell: (info) => <StatusBadge status={info.getValue()} />,
        }),
        col.accessor('urgency', {
          header: () => t('advisories.fields.urgency'),
          cell: (info) => <UrgencyBadge urgency={info.getValue()} />,
        }),
        col.display({
          id: 'date',
          header: () => t('advisories.fields.updatedPublished'),
          cell: (info) => {
            const row = info.row.original;
            return (
              <Text size="xs" component="div">
                <DateTime value={row.updatedAt} />
                {row.publishedAt ? (
                  <Text size="xs" c="dimmed" component="div">
                    {t('advisories.publishedOn')} <DateTime value={row.publishedAt} />
                  </Text>
                ) : null}
              </Text>
            );
          },
        }),
      ]),
    [t],
  );

  const portalColumns = useMemo(
    () =>
      col.columns([
        col.accessor('publishedAt', {
          header: () => t('advisories.fields.publishedAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.accessor('identifier', {
          header: () => t('advisories.fields.identifier'),
          cell: (info) => <span className="nowrap">{info.getValue() ?? '—'}</span>,
        }),
        col.accessor('title', {
          header: () => t('advisories.fields.title'),
          cell: (info) => {
            const row = info.row.original;
            return (
              <Group gap={6} wrap="wrap">
                <TitleLink row={row} />
                {row.relevant ? <RelevantBadge /> : null}
                {row.withdrawn ? <WithdrawnBadge /> : null}
              </Group>
            );
          },
        }),
        col.accessor('kind', {
          header: () => t('advisories.fields.kind'),
          cell: (info) => t(`advisories.kind.${info.getValue()}`),
        }),
        col.accessor('tlp', {
          header: () => t('advisories.fields.tlp'),
          cell: (info) => {
            const tlp = info.getValue();
            return tlp ? <TlpBadge tlp={tlp} /> : '—';
          },
        }),
        col.accessor('urgency', {
          header: () => t('advisories.fields.urgency'),
          cell: (info) => <UrgencyBadge urgency={info.getValue()} />,
        }),
        col.accessor('cves', {
          header: () => t('advisories.fields.cves'),
          cell: (info) => {
            const cves = info.getValue();
            return cves.length > 0 ? (
              <Text size="xs" ff="monospace">
                {cves.slice(0, 3).join(', ')}
                {cves.length > 3 ? ` +${cves.length - 3}` : ''}
              </Text>
            ) : (
              '—'
            );
          },
        }),
      ]),
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('nav.advisories')}
        description={isEditor ? t('advisories.consoleIntro') : t('advisories.portalIntro')}
        actions={
          isEditor ? (
            <>
              <Button variant="default" leftSection={<IconFileImport size={16} aria-hidden />} onClick={importModal.open} data-testid="import-csaf">
                {t('advisories.import.open')}
              </Button>
              <RouterButton to="/advisories/new" leftSection={<IconPlus size={16} aria-hidden />} data-testid="new-advisory">
                {t('advisories.new')}
              </RouterButton>
            </>
          ) : null
        }
      />
      {isEditor ? (
        <ConsoleFilters value={filters} onChange={(next) => void navigate({ search: next, replace: true })} />
      ) : (
        <PortalFilters value={filters} onChange={(next) => void navigate({ search: next, replace: true })} showRelevant={showRelevant} />
      )}
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <DataTable
          data={rows}
          columns={isEditor ? consoleColumns : portalColumns}
          caption={t('nav.advisories')}
          getRowId={(row) => row.id}
          loading={query.isPending}
          emptyText={t('advisories.empty')}
          testId="advisories-table"
        />
      </div>
      <Group justify="space-between" mt="xs" wrap="wrap">
        <Text size="xs" c="dimmed">
          {rows.length > 0 ? t('common.shown', { count: rows.length }) : null}
        </Text>
        <Text size="xs" c="dimmed">
          {t('advisories.keysHint.before')} <Kbd size="xs">j</Kbd> <Kbd size="xs">k</Kbd> {t('advisories.keysHint.move')} <Kbd size="xs">Enter</Kbd>{' '}
          {t('advisories.keysHint.open')}
          {isEditor ? (
            <>
              {', '}
              <Kbd size="xs">n</Kbd> {t('advisories.keysHint.new')}
            </>
          ) : null}
        </Text>
      </Group>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {importOpened ? (
        <ImportCsafModal
          onClose={importModal.close}
          onImported={(id) => {
            importModal.close();
            void navigate({ to: '/advisories/$id/edit', params: { id } });
          }}
        />
      ) : null}
    </>
  );
}
