import { Badge, Group, Paper, Text, type MantineSize } from '@mantine/core';
import { IconTargetArrow } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import type { Urgency, WorkflowStatus } from '../api';

// FIRST TLP 2.0: the label is always written out (never colour alone), in its colour on black.
const TLP_STYLE = (tlp: Tlp) => ({ root: { backgroundColor: '#000', color: TLP_COLOURS[tlp], border: 0 } });

export function TlpBadge({ tlp, size = 'sm' }: { tlp: Tlp; size?: MantineSize }) {
  return (
    <Badge size={size} radius="xs" variant="filled" component="span" styles={TLP_STYLE(tlp)} data-testid="tlp-badge">
      {tlpLabel(tlp)}
    </Badge>
  );
}

/** The marking across the top of a product, with what it means for the reader. */
export function TlpBanner({ tlp }: { tlp: Tlp }) {
  const { t } = useTranslation();
  return (
    <Paper bg="#000" radius="sm" px="md" py={6} mb="md" data-testid="tlp-banner">
      <Group gap="sm" wrap="nowrap">
        <Text fw={700} ff="monospace" style={{ color: TLP_COLOURS[tlp] }}>
          {tlpLabel(tlp)}
        </Text>
        <Text size="sm" c="#fff">
          {t(`advisories.tlpMeaning.${tlp}`)}
        </Text>
      </Group>
    </Paper>
  );
}

const STATUS_COLOR: Record<WorkflowStatus, string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'teal',
  published: 'green',
  withdrawn: 'red',
};

export function StatusBadge({ status }: { status: WorkflowStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm" component="span" data-testid="status-badge">
      {t(`advisories.status.${status}`)}
    </Badge>
  );
}

export function UrgencyBadge({ urgency }: { urgency: Urgency | null }) {
  const { t } = useTranslation();
  if (!urgency) return <>—</>;
  return (
    <Badge color={urgency === 'urgent' ? 'red' : 'gray'} variant={urgency === 'urgent' ? 'filled' : 'light'} size="sm" component="span">
      {t(`advisories.urgency.${urgency}`)}
    </Badge>
  );
}

/** "This matches your organisation's declared assets." */
export function RelevantBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="orange" variant="light" size="sm" component="span" leftSection={<IconTargetArrow size={12} aria-hidden />} data-testid="relevant-badge">
      {t('advisories.relevant')}
    </Badge>
  );
}

export function WithdrawnBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="outline" size="sm" component="span">
      {t('advisories.status.withdrawn')}
    </Badge>
  );
}
