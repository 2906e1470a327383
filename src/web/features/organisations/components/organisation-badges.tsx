import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MembershipStatus } from '../api';

const STATUS_COLOR: Record<MembershipStatus, string> = {
  prospect: 'blue',
  active: 'green',
  suspended: 'orange',
  ended: 'gray',
};

export function MembershipBadge({ status }: { status: MembershipStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm">
      {t(`organisation.membership.${status}`)}
    </Badge>
  );
}
