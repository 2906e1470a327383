import { Badge } from '@mantine/core';
import { IconCircleCheck, IconMailOpened, IconShieldCheck, IconShieldHalf, type Icon as TablerIcon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AlertResponseStatus } from '../api';

export const RESPONSE_COLORS: Record<AlertResponseStatus, string> = {
  received: 'blue',
  not_affected: 'teal',
  mitigating: 'yellow',
  patched: 'green',
};

export const RESPONSE_ICONS: Record<AlertResponseStatus, TablerIcon> = {
  received: IconMailOpened,
  not_affected: IconShieldCheck,
  mitigating: IconShieldHalf,
  patched: IconCircleCheck,
};

/** An organisation's answer; no answer at all is marked loudly, as that is what the CERT chases. */
export function ResponseBadge({ status }: { status: AlertResponseStatus | null }) {
  const { t } = useTranslation();
  if (status === null) {
    return (
      <Badge color="red" variant="outline" size="sm" component="span" data-testid="response-none">
        {t('alertResponses.status.none')}
      </Badge>
    );
  }
  return (
    <Badge color={RESPONSE_COLORS[status]} variant="light" size="sm" component="span" data-testid={`response-${status}`}>
      {t(`alertResponses.status.${status}`)}
    </Badge>
  );
}
