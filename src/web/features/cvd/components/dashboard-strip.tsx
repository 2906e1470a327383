import { Box, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { dashboardQuery, type CvdSummary } from '../api';
import { FirstResponseBadge } from './cvd-badges';

type Clock = 'firstResponse' | 'disclosure';
type Stage = 'overdue' | 'soon';

function Tile({ clock, stage, cases }: { clock: Clock; stage: Stage; cases: readonly CvdSummary[] }) {
  const { t } = useTranslation();
  const id = `cvd-${clock}-${stage}-title`;
  const urgent = stage === 'overdue' && cases.length > 0;
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-labelledby={id}
      data-testid={`cvd-dashboard-${clock}-${stage}`}
      style={urgent ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Title order={2} size="h6" id={id}>
            {t(`cvd.dashboard.${clock}.${stage}`)}
          </Title>
          <Text size="xl" fw={700} c={urgent ? 'red' : undefined} data-testid="cvd-dashboard-count">
            {cases.length}
          </Text>
        </Group>
        {cases.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('cvd.dashboard.none')}
          </Text>
        ) : (
          <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {cases.slice(0, 5).map((c) => (
              <Group key={c.id} component="li" gap={6} wrap="nowrap">
                <RouterAnchor to="/cvd-cases/$id" params={{ id: c.id }} size="xs" ff="monospace" className="nowrap">
                  {c.reference}
                </RouterAnchor>
                {clock === 'firstResponse' ? (
                  <FirstResponseBadge clock={c.firstResponse} />
                ) : (
                  <Text size="xs" c="dimmed">
                    <DateTime value={c.disclosureDue} dateOnly />
                  </Text>
                )}
              </Group>
            ))}
            {cases.length > 5 ? (
              <Text size="xs" c="dimmed" component="li">
                {t('cvd.dashboard.more', { count: cases.length - 5 })}
              </Text>
            ) : null}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

/** On top of the CERT's list: the first answers and disclosure dates that are past or near. */
export function DashboardStrip() {
  const { t } = useTranslation();
  const query = useQuery(dashboardQuery);
  const data = query.data;
  if (query.error) return <ErrorAlert error={query.error} title={t('cvd.dashboard.title')} />;
  if (!data) return null;
  return (
    <Box component="section" aria-label={t('cvd.dashboard.title')} mb="md" data-testid="cvd-dashboard">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        <Tile clock="firstResponse" stage="overdue" cases={data.firstResponse.overdue} />
        <Tile clock="firstResponse" stage="soon" cases={data.firstResponse.soon} />
        <Tile clock="disclosure" stage="overdue" cases={data.disclosure.overdue} />
        <Tile clock="disclosure" stage="soon" cases={data.disclosure.soon} />
      </SimpleGrid>
    </Box>
  );
}
