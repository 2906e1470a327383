import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequestStatus, RequestSummary } from '../api';

const STATUS_COLOR: Record<RequestStatus, string> = { new: 'blue', answered: 'green', closed: 'gray' };

export function StatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {t(`requests.status.${status}`)}
    </Badge>
  );
}

/** The first-answer clock: overdue in red, met or stopped quietly. */
export function SlaBadge({ sla }: { sla: RequestSummary['sla'] }) {
  const { t } = useTranslation();
  const color = sla.state === 'overdue' ? 'red' : sla.state === 'running' ? 'yellow' : 'gray';
  return (
    <Badge color={color} variant={sla.state === 'overdue' ? 'filled' : 'light'}>
      {t(`requests.sla.${sla.state}`)}
    </Badge>
  );
}
