import { useMemo, type ReactNode } from 'react';
import { Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { rsitClassLabel } from '#lib/rsit-labels.ts';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor, RouterButton } from '../../../components/router-links';
import { BarList } from '../../monitoring/components/charts';
import { dashboardQuery, SEVERITY_LIST, STATUS_LIST, type IncidentDashboard } from '../api';
import { ClockStateBadge } from '../components/incident-badges';
import { ScrollX } from '../components/scroll-x';

const STATUS_BAR: Record<string, string> = { reported: 'red', triage: 'orange', in_progress: 'blue', contained: 'teal', recovered: 'green' };
const SEVERITY_BAR: Record<string, string> = { low: 'lime', medium: 'yellow', high: 'orange', critical: 'red' };

function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={id}>
      <Stack gap="xs">
        <Title order={2} size="h5" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function Hours({ value, testId }: { value: number | null; testId: string }) {
  const { t } = useTranslation();
  return (
    <Text size="xl" fw={700} data-testid={testId}>
      {value === null ? '—' : t('incidents.dashboard.hours', { count: value })}
    </Text>
  );
}

/** Cases per RSIT class per month, as a table: the classes down, the months across. */
function CategoryTable({ rows }: { rows: IncidentDashboard['byCategoryMonth'] }) {
  const { t, i18n } = useTranslation();
  const { months, classes, count } = useMemo(() => {
    const monthSet = [...new Set(rows.map((r) => r.month))].sort();
    const classSet = [...new Set(rows.map((r) => r.categoryClass))].sort();
    const map = new Map(rows.map((r) => [`${r.categoryClass}|${r.month}`, r.count]));
    return { months: monthSet, classes: classSet, count: (c: string, m: string) => map.get(`${c}|${m}`) ?? 0 };
  }, [rows]);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('incidents.dashboard.noCases')}
      </Text>
    );
  }
  return (
    <ScrollX label={t('incidents.dashboard.byCategory')}>
      <Table verticalSpacing={4} striped data-testid="category-month">
        <caption className="visually-hidden">{t('incidents.dashboard.byCategory')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('incidents.fields.categoryClass')}</Table.Th>
            {months.map((m) => (
              <Table.Th key={m} scope="col" ta="right">
                {m}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {classes.map((c) => (
            <Table.Tr key={c}>
              <Table.Th scope="row" fw={500}>
                {rsitClassLabel(c, i18n.language.startsWith('en') ? 'en' : 'nl')}
              </Table.Th>
              {months.map((m) => (
                <Table.Td key={m} ta="right">
                  {count(c, m)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollX>
  );
}

/** The CERT's overview of all cases: what is open, how fast it responds and contains, who carries what, what is due. */
export function DashboardPage() {
  const { t } = useTranslation();
  const query = useQuery(dashboardQuery);
  const data = query.data;
  const back = (
    <RouterButton to="/incidents" variant="default" leftSection={<IconListDetails size={16} aria-hidden />}>
      {t('incidents.case.back')}
    </RouterButton>
  );
  return (
    <>
      <PageHeader title={t('incidents.dashboard.title')} description={t('incidents.dashboard.intro')} actions={back} />
      {query.isPending ? <LoadingIndicator /> : <ErrorAlert error={query.error} />}
      {data ? (
        <Stack gap="md" data-testid="incidents-dashboard">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
            <Card id="open-status-title" title={t('incidents.dashboard.openByStatus')}>
              <BarList
                label={t('incidents.dashboard.openByStatus')}
                testId="open-by-status"
                items={STATUS_LIST.filter((s) => s !== 'closed').map((s) => ({
                  key: s,
                  label: t(`incidents.status.${s}`),
                  value: data.openByStatus[s] ?? 0,
                  color: STATUS_BAR[s] ?? 'blue',
                }))}
              />
            </Card>
            <Card id="open-severity-title" title={t('incidents.dashboard.openBySeverity')}>
              <BarList
                label={t('incidents.dashboard.openBySeverity')}
                testId="open-by-severity"
                items={SEVERITY_LIST.map((s) => ({
                  key: s,
                  label: t(`incidents.severity.${s}`),
                  value: data.openBySeverity[s] ?? 0,
                  color: SEVERITY_BAR[s] ?? 'blue',
                }))}
              />
            </Card>
            <Card id="first-response-title" title={t('incidents.dashboard.firstResponse')}>
              <Hours value={data.medianFirstResponseHours} testId="median-first-response" />
              <Text size="xs" c="dimmed">
                {t('incidents.dashboard.median')}
              </Text>
            </Card>
            <Card id="contain-title" title={t('incidents.dashboard.contain')}>
              <Hours value={data.medianContainHours} testId="median-contain" />
              <Text size="xs" c="dimmed">
                {t('incidents.dashboard.median')}
              </Text>
            </Card>
          </SimpleGrid>
          <Card id="deadlines-title" title={t('incidents.dashboard.deadlines')}>
            {data.deadlines.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('incidents.dashboard.noDeadlines')}
              </Text>
            ) : (
              <Table verticalSpacing={4} striped data-testid="deadlines">
                <caption className="visually-hidden">{t('incidents.dashboard.deadlines')}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('incidents.fields.reference')}</Table.Th>
                    <Table.Th scope="col">{t('incidents.fields.organisations')}</Table.Th>
                    <Table.Th scope="col">{t('incidents.clocks.clock')}</Table.Th>
                    <Table.Th scope="col">{t('incidents.clocks.due')}</Table.Th>
                    <Table.Th scope="col">{t('incidents.clocks.stateLabel')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.deadlines.map((d) => (
                    <Table.Tr key={`${d.caseId}-${d.clock}`} data-testid="deadline">
                      <Table.Td>
                        <RouterAnchor to="/incidents/$id" params={{ id: d.caseId }} size="sm" ff="monospace" className="nowrap">
                          {d.reference}
                        </RouterAnchor>
                      </Table.Td>
                      <Table.Td>{d.organisations.join(', ')}</Table.Td>
                      <Table.Td>{t(`incidents.clocks.names.${d.clock}`)}</Table.Td>
                      <Table.Td>
                        <DateTime value={d.dueAt} />
                      </Table.Td>
                      <Table.Td>
                        <ClockStateBadge state={d.state} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
          <Card id="category-title" title={t('incidents.dashboard.byCategory')}>
            <CategoryTable rows={data.byCategoryMonth} />
          </Card>
          <Card id="workload-title" title={t('incidents.dashboard.workload')}>
            <Table verticalSpacing={4} striped data-testid="workload">
              <caption className="visually-hidden">{t('incidents.dashboard.workload')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('incidents.dashboard.analyst')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('incidents.dashboard.openCases')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('incidents.fields.openTasks')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.workload.map((w) => (
                  <Table.Tr key={w.userId}>
                    <Table.Td>{w.name}</Table.Td>
                    <Table.Td ta="right">{w.openCases}</Table.Td>
                    <Table.Td ta="right">{w.openTasks}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </Stack>
      ) : null}
    </>
  );
}
