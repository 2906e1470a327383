import { useState } from 'react';
import { Button, Checkbox, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan, IconEye, IconThumbDown, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { SIGHTING_KINDS, useReportSighting, type Indicator, type SightingKind } from '../api';

const KIND_ICONS: Record<SightingKind, Icon> = { seen: IconEye, blocked: IconBan, 'false-positive': IconThumbDown };

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/**
 * How many organisations saw the value (named only when they chose to be), and the buttons to
 * report a sighting of one's own: seen, blocked or a false positive.
 */
export function SightingsPanel({ indicator, canReport }: { indicator: Indicator; canReport: boolean }) {
  const { t } = useTranslation();
  const [shareIdentity, setShareIdentity] = useState(false);
  const report = useReportSighting(indicator.id);
  const s = indicator.sightings;
  const total = s?.organisationsTotal ?? 0;

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="sightings-title" data-testid="sightings-panel">
      <Stack gap="sm">
        <Title order={2} size="h5" id="sightings-title">
          {t('zdn.sightings.title')}
        </Title>
        <Text size="sm" data-testid="sightings-summary">
          {total === 0 ? t('zdn.notSeen') : t('zdn.seenAt', { count: total })}
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <Figure label={t('zdn.sightings.last24h')} value={s?.organisations24h ?? 0} testId="sightings-24h" />
          <Figure label={t('zdn.sightings.last7d')} value={s?.organisations7d ?? 0} testId="sightings-7d" />
          <Figure label={t('zdn.sightings.total')} value={s?.sightings ?? 0} testId="sightings-total" />
          <Figure label={t('zdn.sightings.falsePositives')} value={s?.falsePositives ?? 0} testId="sightings-false-positives" />
        </SimpleGrid>
        {s?.lastSeenAt ? (
          <Text size="xs" c="dimmed">
            {t('zdn.sightings.lastSeenAt')} <DateTime value={s.lastSeenAt} />
          </Text>
        ) : null}
        {s && s.named.length > 0 ? (
          <div>
            <Text size="sm" fw={500} id="named-title">
              {t('zdn.sightings.named')}
            </Text>
            <List size="sm" spacing={2} aria-labelledby="named-title" data-testid="sightings-named">
              {s.named.map((n) => (
                <List.Item key={`${n.organisationId}-${n.kind}-${n.seenAt}`}>
                  {n.name}: {t(`zdn.sightings.kind.${n.kind}`)}, <DateTime value={n.seenAt} />
                </List.Item>
              ))}
            </List>
          </div>
        ) : null}
        {canReport && indicator.status === 'active' ? (
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              {t('zdn.sightings.reportTitle')}
            </Text>
            <Group gap="xs" role="group" aria-label={t('zdn.sightings.reportTitle')}>
              {SIGHTING_KINDS.map((kind) => {
                const KindIcon = KIND_ICONS[kind];
                return (
                  <Button
                    key={kind}
                    size="sm"
                    variant="default"
                    color={kind === 'false-positive' ? 'red' : undefined}
                    leftSection={<KindIcon size={16} aria-hidden />}
                    loading={report.isPending && report.variables?.kind === kind}
                    disabled={report.isPending}
                    onClick={() =>
                      report.mutate(
                        { kind, shareIdentity },
                        { onSuccess: () => notifications.show({ color: 'green', message: t('zdn.sightings.recorded') }) },
                      )
                    }
                    data-testid={`report-${kind}`}
                  >
                    {t(`zdn.sightings.kind.${kind}`)}
                  </Button>
                );
              })}
            </Group>
            <Checkbox
              label={t('zdn.sightings.shareIdentity')}
              description={t('zdn.sightings.shareIdentityHelp')}
              name="shareIdentity"
              checked={shareIdentity}
              onChange={(event) => setShareIdentity(event.currentTarget.checked)}
            />
            <ErrorAlert error={report.error} />
          </Stack>
        ) : canReport ? (
          <Text size="sm" c="dimmed">
            {t('zdn.sightings.onlyShared')}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
