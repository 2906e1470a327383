import { SimpleGrid, Text } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { caseQuery, type CvdCase } from '../api';
import { AttachmentsPanel } from '../components/attachments-panel';
import { CaseControls } from '../components/case-controls';
import { ChannelsPanel } from '../components/channels-panel';
import { ClocksPanel } from '../components/clocks-panel';
import { DisclosurePanel } from '../components/disclosure-panel';
import { EventsPanel } from '../components/events-panel';
import { PartiesPanel } from '../components/parties-panel';
import { CertReportPanel } from '../components/report-panel';
import { ScopePanel } from '../components/scope-panel';

const routeApi = getRouteApi('/_app/cvd-cases/$id');

function concerns(cvd: CvdCase): string {
  return cvd.targetKind === 'product' ? [cvd.vendor, cvd.product, cvd.model].filter(Boolean).join(' ') : (cvd.target ?? '');
}

/**
 * One vulnerability report, as the CERT coordinates it: status and assignee, the report, whom it
 * concerns, the clocks, the parties, a channel per party (and the relay between them), the files,
 * the history and the disclosure.
 */
export function CvdCasePage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const query = useQuery(caseQuery(id));
  const cvd = query.data;
  const back = (
    <RouterButton to="/cvd-cases" variant="default" leftSection={<IconListDetails size={16} aria-hidden />} data-testid="cvd-cases-link">
      {t('cvd.case.back')}
    </RouterButton>
  );

  if (!cvd) {
    return (
      <>
        <PageHeader title={t('cvd.case.title')} actions={back} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  const about = concerns(cvd);
  return (
    <>
      <PageHeader
        title={cvd.title}
        description={
          <>
            <Text span ff="monospace" size="sm" data-testid="cvd-reference">
              {cvd.reference}
            </Text>
            {about ? ` · ${about}` : ''}
          </>
        }
        actions={back}
      />
      <CaseControls cvd={cvd} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <div>
          <CertReportPanel cvd={cvd} />
          <ScopePanel cvd={cvd} />
        </div>
        <div>
          <ClocksPanel cvd={cvd} />
          <DisclosurePanel cvd={cvd} />
        </div>
      </SimpleGrid>
      <PartiesPanel cvd={cvd} />
      <ChannelsPanel cvd={cvd} channel={search.channel} onChannel={(channel) => void navigate({ search: { channel }, replace: true, resetScroll: false })} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <AttachmentsPanel cvd={cvd} />
        <EventsPanel events={cvd.events} />
      </SimpleGrid>
    </>
  );
}
