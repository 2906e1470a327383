import { Badge, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { JsonBlock } from '../../../components/json-block';
import type { AuditEntry, AuditOutcome } from '../api';

export const OUTCOME_COLOR: Record<AuditOutcome, string> = {
  success: 'green',
  denied: 'orange',
  failure: 'red',
};

export function OutcomeBadge({ outcome }: { outcome: AuditOutcome }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={OUTCOME_COLOR[outcome]}>
      {t(`audit.outcome.${outcome}`)}
    </Badge>
  );
}

export function AuditEntryModal({ entry, onClose }: { entry: AuditEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const rows: { label: string; value: React.ReactNode }[] = [
    { label: t('audit.fields.at'), value: <DateTime value={entry.at} /> },
    { label: t('audit.fields.action'), value: <code>{entry.action}</code> },
    { label: t('audit.fields.outcome'), value: <OutcomeBadge outcome={entry.outcome} /> },
    { label: t('audit.fields.actor'), value: entry.actorEmail ?? entry.actorUserId ?? '—' },
    { label: t('audit.fields.onBehalfOf'), value: entry.onBehalfOf ?? '—' },
    {
      label: t('audit.fields.target'),
      value: [entry.targetType, entry.targetId].filter(Boolean).join(' ') || '—',
    },
    { label: t('audit.fields.ip'), value: entry.ip ?? '—' },
    { label: t('audit.fields.requestId'), value: entry.requestId ?? '—' },
    { label: t('audit.fields.userAgent'), value: entry.userAgent ?? '—' },
  ];
  return (
    <Modal opened onClose={onClose} title={t('audit.detailsTitle', { seq: entry.seq })} size="xl">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
          {rows.map((row) => (
            <div key={row.label}>
              <Text component="dt" size="xs" c="dimmed">
                {row.label}
              </Text>
              <Text component="dd" size="sm" m={0} style={{ wordBreak: 'break-all' }}>
                {row.value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <Text size="sm" fw={600}>
          {t('audit.fields.details')}
        </Text>
        <JsonBlock value={entry.details ?? null} />
      </Stack>
    </Modal>
  );
}
