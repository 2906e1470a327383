import type { ReactNode } from 'react';
import { Alert, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { optionalEnum } from '../../../lib/search-params';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { caseQuery, type IncidentCase } from '../api';
import { CaseControls, CaseFacts } from '../components/case-controls';
import { CaseCustomFields } from '../components/case-custom-fields';
import { AdvicePanel, CaseReport } from '../components/case-overview';
import { ClocksPanel } from '../components/clocks-panel';
import { CustodyPanel, EvidenceRequestsPanel } from '../components/custody-panel';
import { EvidencePanel } from '../components/evidence-panel';
import { MessagesPanel } from '../components/messages-panel';
import { ObservablesPanel } from '../components/observables-panel';
import { PartiesPanel } from '../components/parties-panel';
import { RelatedCasesPanel } from '../components/related-cases-panel';
import { ReportsPanel } from '../components/reports-panel';
import { TasksPanel } from '../components/tasks-panel';
import { TimelinePanel } from '../components/timeline-panel';
import { CASE_TABS, type CaseTab } from '../search';

const routeApi = getRouteApi('/_app/incidents/$id');

/** The tabs the room has: no observables and no parties (those are the CERT's). */
const ROOM_TABS: readonly CaseTab[] = ['tasks', 'timeline', 'evidence', 'messages', 'reports'];

function CaseTabs({ incident, tabs, readOnly }: { incident: IncidentCase; tabs: readonly CaseTab[]; readOnly: boolean }) {
  const { t } = useTranslation();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const isCert = incident.access === 'cert';
  const shown = search.tab && tabs.includes(search.tab) ? search.tab : 'tasks';
  const id = incident.id;
  const panels: Record<CaseTab, () => ReactNode> = {
    tasks: () => <TasksPanel caseId={id} isCert={isCert} readOnly={readOnly} />,
    timeline: () => <TimelinePanel caseId={id} isCert={isCert} readOnly={readOnly} />,
    observables: () => <ObservablesPanel caseId={id} readOnly={readOnly} />,
    evidence: () => (
      <Stack gap="sm">
        <EvidenceRequestsPanel caseId={id} canAsk={isCert && !readOnly} />
        <EvidencePanel caseId={id} isCert={isCert} readOnly={readOnly} />
        {isCert ? <CustodyPanel caseId={id} /> : null}
      </Stack>
    ),
    messages: () => <MessagesPanel caseId={id} isCert={isCert} readOnly={readOnly} />,
    parties: () => <PartiesPanel incident={incident} readOnly={readOnly} />,
    reports: () => <ReportsPanel caseId={id} isCert={isCert} />,
  };
  return (
    <Tabs
      value={shown}
      keepMounted={false}
      onChange={(value) => {
        const tab = optionalEnum(value, CASE_TABS);
        if (tab) void navigate({ search: { tab }, replace: true });
      }}
    >
      <Tabs.List mb="sm">
        {tabs.map((tab) => (
          <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
            {t(`incidents.case.tabs.${tab}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((tab) => (
        <Tabs.Panel key={tab} value={tab}>
          {panels[tab]()}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

/**
 * One case. The CERT works it: controls, deadlines, and tabs for tasks, timeline, observables,
 * evidence, messages, parties and reports. The affected organisation and its invited supplier see
 * the room: what is shared with them, their tasks, their uploads and the thread, without CERT controls.
 */
export function CasePage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const user = useCurrentUser();
  const query = useQuery(caseQuery(id));
  const incident = query.data;
  const back = (
    <RouterButton to="/incidents" variant="default" leftSection={<IconListDetails size={16} aria-hidden />} data-testid="incidents-link">
      {t('incidents.case.back')}
    </RouterButton>
  );

  if (!incident) {
    return (
      <>
        <PageHeader title={t('incidents.case.title')} actions={back} />
        {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      </>
    );
  }

  const isCert = incident.access === 'cert';
  const merged = incident.mergedIntoId !== null;
  const readOnly = merged || !can(user.role, 'incidents:respond');
  const mainCase = incident.related.find((r) => r.relation === 'merged_into');
  return (
    <>
      <PageHeader
        title={incident.title}
        description={
          <>
            <Text span ff="monospace" size="sm" data-testid="case-reference">
              {incident.reference}
            </Text>
            {` · ${incident.organisations.join(', ')}`}
            {isCert ? '' : ` · ${t('incidents.case.roomLabel')}`}
          </>
        }
        actions={back}
      />
      {merged && incident.mergedIntoId ? (
        <Alert color="blue" variant="light" mb="md" data-testid="merged-banner">
          {mainCase ? t('incidents.case.mergedInto', { reference: mainCase.reference }) : t('incidents.case.merged')}{' '}
          <RouterAnchor to="/incidents/$id" params={{ id: incident.mergedIntoId }} size="sm" data-testid="merged-into-link">
            {t('incidents.case.openMerged')}
          </RouterAnchor>
        </Alert>
      ) : null}
      {isCert ? <CaseControls incident={incident} /> : <CaseFacts incident={incident} />}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <CaseReport incident={incident} />
        <div>
          <ClocksPanel incident={incident} canRecord={!readOnly} />
          <AdvicePanel incident={incident} editable={isCert && !readOnly} />
          {isCert ? <CaseCustomFields incident={incident} readOnly={readOnly} /> : null}
          {isCert ? <RelatedCasesPanel incident={incident} readOnly={readOnly} /> : null}
        </div>
      </SimpleGrid>
      <CaseTabs incident={incident} tabs={isCert ? CASE_TABS : ROOM_TABS} readOnly={readOnly} />
    </>
  );
}
