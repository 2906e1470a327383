import { useMemo, useState } from 'react';
import { Button, Group, List, Paper, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { compact } from '../../../lib/search-params';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { publicationsQuery, reviewDueQuery, type PublicationFilters as Filters } from '../api';
import { CreatePublicationModal } from '../components/create-publication-modal';
import { PublicationCards } from '../components/publication-cards';
import { PublicationFilters } from '../components/publication-filters';

const routeApi = getRouteApi('/_app/publications');

/** The library: search and filters in the URL; for the CERT also drafts, reviews due and "new". */
export function PublicationsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const isCert = can(user.role, 'publications:write');
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [creating, { open, close }] = useDisclosure(false);
  const query = useInfiniteQuery(publicationsQuery(search));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const filtered = Object.values(search).some((value) => value !== undefined);
  const setFilters = (next: Filters) =>
    void navigate({ search: compact({ q: next.q, kind: next.kind, tag: next.tag, language: next.language }), replace: true });
  // Remount the form each time it opens, so it starts empty.
  const [formKey, setFormKey] = useState(0);

  return (
    <>
      <PageHeader
        title={t('publications.title')}
        description={isCert ? t('publications.introCert') : t('publications.intro')}
        actions={
          isCert ? (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => {
                setFormKey((k) => k + 1);
                open();
              }}
            >
              {t('publications.new')}
            </Button>
          ) : null
        }
      />
      {isCert ? <ReviewDue /> : null}
      <PublicationFilters value={search} onChange={setFilters} />
      <ErrorAlert error={query.error} />
      {query.isPending ? (
        <Text c="dimmed">{t('common.loading')}</Text>
      ) : (
        <PublicationCards
          rows={rows}
          showStatus={isCert}
          emptyText={filtered ? t('publications.emptyFiltered') : t('publications.empty')}
          onTag={(tag) => setFilters({ ...search, tag })}
        />
      )}
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {rows.length > 0 ? t('common.shown', { count: rows.length }) : null}
        </Text>
      </Group>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {isCert ? <CreatePublicationModal key={formKey} opened={creating} onClose={close} /> : null}
    </>
  );
}

/** The CERT's list of publications whose review-by date has come. */
function ReviewDue() {
  const { t } = useTranslation();
  const query = useQuery(reviewDueQuery);
  const rows = query.data ?? [];
  return (
    <Paper withBorder p="sm" mb="md" radius="md" aria-labelledby="review-due">
      <Title order={2} size="h5" id="review-due" mb={4}>
        {t('publications.reviewDue')}
      </Title>
      <ErrorAlert error={query.error} />
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('publications.reviewDueEmpty')}
        </Text>
      ) : (
        <List size="sm" spacing={2}>
          {rows.map((p) => (
            <List.Item key={p.id}>
              <RouterAnchor to="/publications/$id" params={{ id: p.id }} size="sm">
                {p.title}
              </RouterAnchor>{' '}
              <Text span size="xs" c="orange">
                {t('publications.reviewBy')} {p.reviewBy ? <DateTime value={p.reviewBy} dateOnly /> : null}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}
