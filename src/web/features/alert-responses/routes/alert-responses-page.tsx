import { Box, Button, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowLeft, IconClockHour4, IconDownload, IconMessageCircleQuestion } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { RouterButton } from '../../../components/router-links';
import { StatCard } from '../../dashboard/components/stat-card';
import { RESPONSE_STATUSES, responseDashboardQuery, responsesCsvUrl, type ResponseDashboard } from '../api';
import { RESPONSE_COLORS, RESPONSE_ICONS } from '../components/response-badge';
import { ResponseHistory } from '../components/response-history';
import { ResponsesTable } from '../components/responses-table';
import { useDuration } from '../use-duration';

const routeApi = getRouteApi('/_app/advisories/$id/responses');

function Counts({ dashboard }: { dashboard: ResponseDashboard }) {
  const { t } = useTranslation();
  const duration = useDuration();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" mb="lg" data-testid="response-counts">
      <StatCard
        label={t('alertResponses.status.none')}
        value={String(dashboard.counts.none)}
        icon={
          <ThemeIcon variant="light" color="red" size="lg" aria-hidden>
            <IconMessageCircleQuestion size={20} />
          </ThemeIcon>
        }
        testId="count-none"
      />
      {RESPONSE_STATUSES.map((status) => {
        const Icon = RESPONSE_ICONS[status];
        return (
          <StatCard
            key={status}
            label={t(`alertResponses.status.${status}`)}
            value={String(dashboard.counts[status])}
            icon={
              <ThemeIcon variant="light" color={RESPONSE_COLORS[status]} size="lg" aria-hidden>
                <Icon size={20} />
              </ThemeIcon>
            }
            testId={`count-${status}`}
          />
        );
      })}
      <StatCard
        label={t('alertResponses.median')}
        value={duration(dashboard.medianSecondsToFirstResponse)}
        icon={
          <ThemeIcon variant="light" color="blue" size="lg" aria-hidden>
            <IconClockHour4 size={20} />
          </ThemeIcon>
        }
        testId="median-first-response"
      />
    </SimpleGrid>
  );
}

/**
 * The CERT's view of an operational alert: who answered what, who is silent, how fast they were.
 * It follows the answers live: the realtime event 'alert.response' refetches it (use-realtime.ts).
 */
export function AlertResponsesPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const query = useQuery(responseDashboardQuery(id));

  if (query.isPending) return <LoadingIndicator />;
  if (query.isError) {
    return (
      <>
        <PageHeader title={t('alertResponses.pageTitle')} />
        <ErrorAlert error={query.error} />
      </>
    );
  }
  const dashboard = query.data;
  return (
    <>
      <PageHeader
        title={t('alertResponses.titleFor', { identifier: dashboard.identifier })}
        description={dashboard.title}
        actions={
          <>
            <RouterButton to="/advisories/$id" params={{ id }} search={{}} variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
              {t('alertResponses.backToAlert')}
            </RouterButton>
            <Button component="a" href={responsesCsvUrl(dashboard.productId)} download variant="default" leftSection={<IconDownload size={16} aria-hidden />} data-testid="download-responses-csv">
              {t('alertResponses.downloadCsv')}
            </Button>
          </>
        }
      />
      <Text size="sm" c="dimmed" mb="sm">
        {t('alertResponses.liveHint')}
      </Text>
      <Counts dashboard={dashboard} />
      <Box component="section" aria-labelledby="responses-organisations" mb="lg">
        <Title order={2} size="h4" mb="xs" id="responses-organisations">
          {t('alertResponses.organisations')}
        </Title>
        <ResponsesTable rows={dashboard.organisations} />
      </Box>
      <Box component="section" aria-labelledby="responses-history" mb="lg">
        <Title order={2} size="h4" mb="xs" id="responses-history">
          {t('alertResponses.history.title')}
        </Title>
        <ResponseHistory history={dashboard.history} />
      </Box>
    </>
  );
}
