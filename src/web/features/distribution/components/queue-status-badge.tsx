import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxStatus } from '../api';

const STATUS_COLOR: Record<OutboxStatus, string> = {
  pending: 'blue',
  sending: 'cyan',
  sent: 'green',
  failed: 'red',
  held: 'orange',
};

/** The state of one queued message (or, with a count, of several), in words and colour. */
export function QueueStatusBadge({ status, children, testId }: { status: OutboxStatus; children?: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm" component="span" data-testid={testId}>
      {t(`distribution.queueStatus.${status}`)}
      {children}
    </Badge>
  );
}
