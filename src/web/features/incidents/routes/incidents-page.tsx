import { useMemo, useRef, useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertOctagon, IconChartBar, IconForms, IconListCheck, IconPhoneCall } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { useRowKeyboard } from '../../advisories/use-row-keyboard';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { casesQuery } from '../api';
import { CertSettingsModal, type CertSetting } from '../components/cert-settings-modal';
import { IncidentFilters } from '../components/incident-filters';
import { IncidentsTable } from '../components/incidents-table';
import { NewCaseModal } from '../components/new-case-modal';

const routeApi = getRouteApi('/_app/incidents');

/** "Incidents": the CERT sees every case; a participant or an invited supplier the cases it takes part in. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [newCaseOpened, newCase] = useDisclosure(false);
  const [setting, setSetting] = useState<CertSetting | null>(null);
  const isCert = can(user.role, 'incidents:write');
  // The CERT logs cases itself; a participant reports its own through the guided form.
  const canReport = !isCert && can(user.role, 'incidents:report') && user.organisationKind === 'participant';
  const query = useInfiniteQuery(casesQuery(search));
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const tableRef = useRef<HTMLDivElement>(null);
  useRowKeyboard({ container: tableRef });
  const filtered = Object.values(search).some((value) => value !== undefined);

  const actions = (
    <>
      {canReport ? (
        <RouterButton to="/incidents/report" color="red" leftSection={<IconAlertOctagon size={16} aria-hidden />} data-testid="report-incident">
          {t('incidents.reportButton')}
        </RouterButton>
      ) : null}
      {isCert ? (
        <>
          <RouterButton to="/incidents/dashboard" variant="default" leftSection={<IconChartBar size={16} aria-hidden />} data-testid="incidents-dashboard-link">
            {t('incidents.dashboard.title')}
          </RouterButton>
          <Button variant="default" leftSection={<IconForms size={16} aria-hidden />} onClick={() => setSetting('fields')} data-testid="custom-fields-button">
            {t('incidents.fieldDefs.title')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconListCheck size={16} aria-hidden />}
            onClick={() => setSetting('playbooks')}
            data-testid="playbooks-button"
          >
            {t('incidents.playbooks.title')}
          </Button>
          <Button leftSection={<IconPhoneCall size={16} aria-hidden />} onClick={newCase.open} data-testid="new-case">
            {t('incidents.newCase.button')}
          </Button>
        </>
      ) : null}
    </>
  );

  return (
    <>
      <PageHeader title={t('incidents.title')} description={isCert ? t('incidents.introCert') : t('incidents.intro')} actions={actions} />
      <IncidentFilters value={search} onChange={(next) => void navigate({ search: next, replace: true })} />
      <ErrorAlert error={query.error} />
      <div ref={tableRef}>
        <IncidentsTable
          rows={rows}
          loading={query.isPending}
          caption={t('incidents.title')}
          emptyText={filtered ? t('incidents.emptyFiltered') : t('incidents.empty')}
        />
      </div>
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {rows.length > 0 ? t('common.shown', { count: rows.length }) : null}
        </Text>
      </Group>
      <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {isCert ? <NewCaseModal opened={newCaseOpened} onClose={newCase.close} /> : null}
      {isCert ? <CertSettingsModal shown={setting} onShow={setSetting} onClose={() => setSetting(null)} /> : null}
    </>
  );
}
