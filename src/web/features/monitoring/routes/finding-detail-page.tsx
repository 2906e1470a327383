import type { ReactNode } from 'react';
import { Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { findingQuery, type FindingDetail } from '../api';
import { EvidenceTable } from '../components/evidence-table';
import { HistoryTimeline } from '../components/history-timeline';
import { FindingStatusBadge, RecheckBadge, ReopenedBadge, SeverityBadge, systemOf, useFindingTypeLabel } from '../components/monitoring-badges';
import { RespondPanel } from '../components/respond-panel';

const routeApi = getRouteApi('/_app/monitoring/findings/$id');

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

function Fields({ finding, showOrganisation }: { finding: FindingDetail; showOrganisation: boolean }) {
  const { t } = useTranslation();
  const typeLabel = useFindingTypeLabel();
  return (
    <Paper withBorder mb="md">
      <Table verticalSpacing={6} data-testid="finding-fields">
        <caption className="visually-hidden">{t('monitoring.finding.fields')}</caption>
        <Table.Tbody>
          <Row label={t('monitoring.fields.type')}>{typeLabel(finding.type)}</Row>
          <Row label={t('monitoring.fields.system')}>
            <Text span size="sm" ff="monospace" data-testid="finding-subject">
              {finding.subject}
            </Text>
          </Row>
          <Row label={t('monitoring.fields.port')}>{finding.port ?? '—'}</Row>
          <Row label={t('monitoring.fields.asset')}>
            <Text span size="sm" ff="monospace">
              {finding.asset ?? '—'}
            </Text>
          </Row>
          {showOrganisation ? (
            <Row label={t('monitoring.fields.organisation')}>
              <RouterAnchor to="/monitoring" search={{ organisationId: finding.organisationId }} size="sm">
                {finding.organisationName}
              </RouterAnchor>
            </Row>
          ) : null}
          <Row label={t('monitoring.fields.severity')}>
            <SeverityBadge severity={finding.severity} />
          </Row>
          <Row label={t('monitoring.fields.status')}>
            <Group gap={4}>
              <FindingStatusBadge status={finding.status} />
              <ReopenedBadge finding={finding} />
              {finding.recheckPending ? <RecheckBadge /> : null}
            </Group>
          </Row>
          <Row label={t('monitoring.fields.sources')}>{finding.sources.join(', ') || '—'}</Row>
          <Row label={t('monitoring.fields.firstSeen')}>
            <DateTime value={finding.firstSeen} />
          </Row>
          <Row label={t('monitoring.fields.lastSeen')}>
            <DateTime value={finding.lastSeen} />
          </Row>
          <Row label={t('monitoring.fields.notifiedAt')}>
            <DateTime value={finding.notifiedAt} />
          </Row>
          <Row label={t('monitoring.fields.resolvedAt')}>
            <DateTime value={finding.resolvedAt} />
          </Row>
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** One finding: what it is, the evidence the source gave, its history, and the buttons to answer it. */
export function FindingDetailPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const typeLabel = useFindingTypeLabel();
  const query = useQuery(findingQuery(id));
  const finding = query.data;
  const back = (
    <RouterButton to="/monitoring" variant="default" leftSection={<IconListDetails size={16} aria-hidden />} data-testid="findings-link">
      {t('monitoring.finding.back')}
    </RouterButton>
  );

  if (!finding) {
    return (
      <>
        <PageHeader title={t('monitoring.finding.title')} actions={back} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  const isCert = can(user.role, 'monitoring:write');
  return (
    <>
      <PageHeader
        title={systemOf(finding)}
        description={
          <span data-testid="finding-subtitle">
            {typeLabel(finding.type)}
            {isCert ? ` · ${finding.organisationName}` : ''}
          </span>
        }
        actions={back}
      />
      {can(user.role, 'monitoring:respond') ? <RespondPanel finding={finding} canReopen={isCert} /> : null}
      <Title order={2} size="h5" mb="xs">
        {t('monitoring.finding.fields')}
      </Title>
      <Fields finding={finding} showOrganisation={isCert} />
      <section aria-labelledby="finding-evidence-title">
        <Title order={2} size="h5" id="finding-evidence-title">
          {t('monitoring.finding.evidence')}
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('monitoring.finding.evidenceHelp')}
        </Text>
        <EvidenceTable evidence={finding.evidence} />
      </section>
      <section aria-labelledby="finding-history-title">
        <Title order={2} size="h5" mb="sm" id="finding-history-title">
          {t('monitoring.finding.history')}
        </Title>
        <HistoryTimeline history={finding.history} />
      </section>
    </>
  );
}
