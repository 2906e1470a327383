import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DigestStatus } from '../api';

const STATUS_COLOR: Record<DigestStatus, string> = { draft: 'gray', held: 'orange', in_review: 'yellow', approved: 'teal', sent: 'green' };

/** The digest's state in words (never colour alone). */
export function DigestStatusBadge({ status }: { status: DigestStatus }) {
  const { t } = useTranslation();
  return (
    <Badge component="span" size="sm" variant="light" color={STATUS_COLOR[status]} data-testid="digest-status">
      {t(`digests.status.${status}`)}
    </Badge>
  );
}
