import { Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuildingHospital, IconChecklist } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { approvalQueueQuery } from '../../assets/api';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { organisationsQuery } from '../../organisations/api';
import { StatCard } from '../components/stat-card';

// Lists are cursor-paged without a total, so a full first page is shown as "50+".
function countLabel(data: { pages: { items: unknown[] }[] } | undefined, hasMore: boolean): string | null {
  if (!data) return null;
  const count = data.pages.reduce((sum, page) => sum + page.items.length, 0);
  return hasMore ? `${count}+` : String(count);
}

const NO_FILTERS = {};

function PendingApprovalsCard() {
  const { t } = useTranslation();
  const query = useInfiniteQuery(approvalQueueQuery);
  return (
    <>
      <StatCard
        label={t('dashboard.pendingApprovals')}
        value={query.isError ? '—' : countLabel(query.data, query.hasNextPage)}
        icon={
          <ThemeIcon variant="light" color="orange" size="lg" aria-hidden>
            <IconChecklist size={20} />
          </ThemeIcon>
        }
        footer={
          <RouterAnchor to="/approvals" size="sm">
            {t('dashboard.viewAll')}
          </RouterAnchor>
        }
        testId="stat-pending-approvals"
      />
      <ErrorAlert error={query.error} />
    </>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const organisations = useInfiniteQuery(organisationsQuery(NO_FILTERS));

  return (
    <>
      <PageHeader
        title={t('dashboard.welcome', { name: user.name })}
        description={t('dashboard.intro', {
          organisation: user.organisationName,
          role: t(`roles.${user.role}`),
        })}
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" mb="md">
        <StatCard
          label={t('dashboard.organisations')}
          value={organisations.isError ? '—' : countLabel(organisations.data, organisations.hasNextPage)}
          icon={
            <ThemeIcon variant="light" size="lg" aria-hidden>
              <IconBuildingHospital size={20} />
            </ThemeIcon>
          }
          footer={
            <RouterAnchor to="/organisations" size="sm">
              {t('dashboard.viewAll')}
            </RouterAnchor>
          }
          testId="stat-organisations"
        />
        {can(user.role, 'assets:decide') ? <PendingApprovalsCard /> : null}
      </SimpleGrid>
      <ErrorAlert error={organisations.error} />
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="quick-links-heading">
        <Stack gap="xs">
          <Title order={2} size="h5" id="quick-links-heading">
            {t('dashboard.quickLinks')}
          </Title>
          <Group gap="lg">
            <RouterAnchor to="/organisations/$id" params={{ id: user.organisationId }} size="sm">
              {user.organisationName}
            </RouterAnchor>
            <RouterAnchor to="/tokens" size="sm">
              {t('nav.tokens')}
            </RouterAnchor>
            <RouterAnchor to="/profile" size="sm">
              {t('nav.profile')}
            </RouterAnchor>
            <RouterAnchor to="/api-reference" size="sm">
              {t('nav.apiReference')}
            </RouterAnchor>
          </Group>
          <Text size="sm" c="dimmed">
            {t('dashboard.paletteHint')}
          </Text>
        </Stack>
      </Paper>
    </>
  );
}
