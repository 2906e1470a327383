import type { ReactNode } from 'react';
import { Alert, Badge, Code, Group, Paper, Table, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { TlpBadge, TlpBanner } from '../../advisories/components/advisory-badges';
import type { CurrentUser } from '../../auth/api';
import { can, canFor } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { organisationQuery } from '../../organisations/api';
import { indicatorQuery, type Indicator } from '../api';
import { ReviewPanel } from '../components/review-panel';
import { SightingsPanel } from '../components/sightings-panel';
import { AlsoInEvents, IndicatorStatusBadge, IndicatorTypeBadge, shortValue } from '../components/zdn-badges';

const routeApi = getRouteApi('/_app/zdn/indicators/$id');

/** The source, by name only where the reader may look the organisation up (the CERT). */
function Source({ organisationId, user }: { organisationId: string | null; user: CurrentUser }) {
  const { t } = useTranslation();
  const readable = organisationId !== null && organisationId !== user.organisationId && canFor(user, 'organisations:read', organisationId);
  const org = useQuery({ ...organisationQuery(organisationId ?? ''), enabled: readable });
  if (organisationId === null) return <>{t('zdn.source.anonymous')}</>;
  if (organisationId === user.organisationId) return <>{t('zdn.source.own')}</>;
  if (!readable) return <>{t('zdn.source.other')}</>;
  return (
    <RouterAnchor to="/organisations/$id" params={{ id: organisationId }} size="sm">
      {org.data?.name ?? t('common.loading')}
    </RouterAnchor>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={180} fw={500}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function Fields({ indicator, user }: { indicator: Indicator; user: CurrentUser }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder mb="md">
      <Table verticalSpacing={6} data-testid="indicator-fields">
        <caption className="visually-hidden">{t('zdn.indicator.fields')}</caption>
        <Table.Tbody>
          <Row label={t('zdn.fields.value')}>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="indicator-value">
              {indicator.value}
            </Code>
          </Row>
          <Row label={t('zdn.fields.type')}>
            <IndicatorTypeBadge type={indicator.type} />
          </Row>
          <Row label={t('zdn.fields.event')}>
            <RouterAnchor to="/zdn/events/$id" params={{ id: indicator.eventId }} size="sm" data-testid="indicator-event-link">
              {indicator.eventTitle}
            </RouterAnchor>
          </Row>
          <Row label={t('zdn.fields.status')}>
            <IndicatorStatusBadge status={indicator.status} expired={indicator.expired} />
          </Row>
          <Row label={t('zdn.fields.tlp')}>
            <TlpBadge tlp={indicator.tlp} />
          </Row>
          <Row label={t('zdn.fields.pap')}>
            <Badge variant="outline" color="gray" size="sm" radius="xs" component="span">
              PAP:{indicator.pap}
            </Badge>
          </Row>
          <Row label={t('zdn.fields.confidence')}>{indicator.confidence}</Row>
          <Row label={t('zdn.fields.alsoIn')}>
            <AlsoInEvents count={indicator.alsoInEvents} />
          </Row>
          <Row label={t('zdn.fields.source')}>
            <Source organisationId={indicator.sourceOrganisationId} user={user} />
          </Row>
          <Row label={t('zdn.fields.comment')}>{indicator.comment || '—'}</Row>
          <Row label={t('zdn.fields.tags')}>
            {indicator.tags.length > 0 ? (
              <Group gap={4}>
                {indicator.tags.map((tag) => (
                  <Badge key={tag} variant="light" color="gray" size="sm" tt="none" component="span">
                    {tag}
                  </Badge>
                ))}
              </Group>
            ) : (
              '—'
            )}
          </Row>
          <Row label={t('zdn.fields.firstSeen')}>
            <DateTime value={indicator.firstSeen} />
          </Row>
          <Row label={t('zdn.fields.lastSeen')}>
            <DateTime value={indicator.lastSeen} />
          </Row>
          <Row label={t('zdn.fields.validFrom')}>
            <DateTime value={indicator.validFrom} />
          </Row>
          <Row label={t('zdn.fields.validUntil')}>
            <DateTime value={indicator.validUntil} fallback={t('zdn.noExpiry')} />
          </Row>
          <Row label={t('zdn.fields.createdAt')}>
            <DateTime value={indicator.createdAt} />
          </Row>
          <Row label={t('zdn.fields.modifiedAt')}>
            <DateTime value={indicator.modifiedAt} />
          </Row>
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

export function IndicatorDetailPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const query = useQuery(indicatorQuery(id));
  const indicator = query.data;

  if (!indicator) {
    return (
      <>
        <PageHeader title={t('zdn.indicator.title')} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  const reviewable = can(user.role, 'zdn:write') && (indicator.status === 'pending' || indicator.status === 'held');
  return (
    <>
      <PageHeader
        title={shortValue(indicator.value, 80)}
        description={
          <span data-testid="indicator-subtitle">
            {t(`zdn.types.${indicator.type}`)} · {indicator.eventTitle}
          </span>
        }
      />
      <TlpBanner tlp={indicator.tlp} />
      {indicator.warning ? (
        <Alert color="orange" variant="light" mb="md" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('zdn.indicator.warning')} data-testid="indicator-warning">
          {indicator.warning}
        </Alert>
      ) : null}
      {reviewable ? <ReviewPanel indicator={indicator} /> : null}
      <SightingsPanel indicator={indicator} canReport={can(user.role, 'zdn:submit')} />
      <Title order={2} size="h5" mb="xs">
        {t('zdn.indicator.fields')}
      </Title>
      <Fields indicator={indicator} user={user} />
    </>
  );
}
