import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import type { Delivery, OutboxStatus, QueueCounts } from '../api';
import { useAudienceSentence } from '../use-audience-sentence';
import { QueueStatusBadge } from './queue-status-badge';

const NOT_SENT = ['pending', 'sending', 'failed', 'held'] as const satisfies readonly Exclude<OutboxStatus, 'sent'>[];

const total = (counts: QueueCounts) => counts.pending + counts.sending + counts.sent + counts.failed + counts.held;

/** "Sent 290 of 312", a bar, and what is not sent yet by status. */
function QueueProgress({ counts, label, testId }: { counts: QueueCounts; label: string; testId: string }) {
  const { t } = useTranslation();
  const all = total(counts);
  const progress = t('distribution.deliveries.sentOf', { sent: counts.sent, total: all });
  return (
    <Stack gap={4} data-testid={testId}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>
          {label}:
        </Text>
        <Text size="sm" data-testid={`${testId}-progress`}>
          {progress}
        </Text>
        {NOT_SENT.filter((status) => counts[status] > 0).map((status) => (
          <QueueStatusBadge key={status} status={status} testId={`${testId}-${status}`}>
            : {counts[status]}
          </QueueStatusBadge>
        ))}
      </Group>
      <Progress.Root size="sm" aria-hidden>
        <Progress.Section value={all ? (counts.sent / all) * 100 : 0} color="green" />
        <Progress.Section value={all ? (counts.failed / all) * 100 : 0} color="red" />
        <Progress.Section value={all ? (counts.held / all) * 100 : 0} color="orange" />
      </Progress.Root>
    </Stack>
  );
}

/** One published revision's delivery: whom it was for and how far the queue has got. */
export function DeliveryCard({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation();
  const sentence = useAudienceSentence();
  return (
    <Paper withBorder p="sm" data-testid={`delivery-r${delivery.revision}`}>
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={700}>
            {t('advisories.history.revisionN', { n: delivery.revision })}
          </Text>
          <TlpBadge tlp={delivery.tlp} />
          <Text size="xs" c="dimmed">
            <DateTime value={delivery.createdAt} />
            {delivery.createdByName ? ` · ${delivery.createdByName}` : ''}
          </Text>
        </Group>
        <Text size="sm">{sentence(delivery.audience)}</Text>
        <QueueProgress counts={delivery.mail} label={t('distribution.deliveries.mail')} testId="delivery-mail" />
        {total(delivery.webhooks) > 0 ? <QueueProgress counts={delivery.webhooks} label={t('distribution.deliveries.webhooks')} testId="delivery-webhooks" /> : null}
        <Text size="xs" c="dimmed">
          {t('distribution.deliveries.lastSent')}: <DateTime value={delivery.lastSentAt} />
        </Text>
      </Stack>
    </Paper>
  );
}
