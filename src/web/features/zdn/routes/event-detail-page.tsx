import { useMemo, useRef } from 'react';
import { Badge, Button, Group, Text, Title } from '@mantine/core';
import { IconDownload, IconListDetails } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { TlpBanner } from '../../advisories/components/advisory-badges';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import type { CurrentUser } from '../../auth/api';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { eventQuery, indicatorsQuery, stixUrl, type ZdnEvent } from '../api';
import { AddIndicatorsPanel } from '../components/add-indicators-panel';
import { IndicatorsTable } from '../components/indicators-table';

const routeApi = getRouteApi('/_app/zdn/events/$id');

/** The CERT adds to any event; others only to their own organisation's (as the API decides). */
function mayAdd(user: CurrentUser, event: ZdnEvent): boolean {
  return can(user.role, 'zdn:write') || (can(user.role, 'zdn:submit') && event.sourceOrganisationId === user.organisationId);
}

function EventIndicators({ eventId }: { eventId: string }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery(indicatorsQuery({ eventId }));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef });
  return (
    <section aria-labelledby="event-indicators-title">
      <Title order={2} size="h5" mb="xs" id="event-indicators-title">
        {t('zdn.fields.indicators')}
      </Title>
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <IndicatorsTable rows={rows} loading={query.isPending} caption={t('zdn.fields.indicators')} showEvent={false} emptyText={t('zdn.events.noIndicators')} />
      </div>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
    </section>
  );
}

export function EventDetailPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const query = useQuery(eventQuery(id));
  const event = query.data;

  if (!event) {
    return (
      <>
        <PageHeader title={t('zdn.events.one')} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={event.title}
        description={
          <span data-testid="event-subtitle">
            <DateTime value={event.date} dateOnly /> · {t('zdn.events.indicatorCount', { count: event.indicatorCount })}
          </span>
        }
        actions={
          <>
            <RouterButton to="/zdn/events" variant="default" leftSection={<IconListDetails size={16} aria-hidden />}>
              {t('zdn.events.title')}
            </RouterButton>
            <Button component="a" href={stixUrl(event.id)} download variant="default" leftSection={<IconDownload size={16} aria-hidden />} data-testid="download-stix">
              {t('zdn.events.downloadStix')}
            </Button>
          </>
        }
      />
      <TlpBanner tlp={event.tlp} />
      {event.description ? (
        <Text size="sm" mb="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="event-description">
          {event.description}
        </Text>
      ) : null}
      {event.tags.length > 0 ? (
        <Group gap={4} mb="md" aria-label={t('zdn.fields.tags')} role="list">
          {event.tags.map((tag) => (
            <Badge key={tag} role="listitem" variant="light" color="gray" size="sm" tt="none" component="span">
              {tag}
            </Badge>
          ))}
        </Group>
      ) : null}
      {mayAdd(user, event) ? <AddIndicatorsPanel eventId={event.id} /> : null}
      <EventIndicators eventId={event.id} />
    </>
  );
}
