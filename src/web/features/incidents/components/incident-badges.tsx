import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClock, IconHourglass } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CaseSeverity, CaseStatus, ClockState } from '../api';

// The text carries the meaning; the colour only helps (and is never the only signal).
const STATUS_COLOR: Record<CaseStatus, string> = {
  reported: 'red',
  triage: 'orange',
  in_progress: 'blue',
  contained: 'teal',
  recovered: 'green',
  closed: 'gray',
};

const SEVERITY_STYLE: Record<CaseSeverity, { color: string; variant: 'light' | 'filled' }> = {
  low: { color: 'lime', variant: 'light' },
  medium: { color: 'yellow', variant: 'light' },
  high: { color: 'orange', variant: 'light' },
  critical: { color: 'red', variant: 'filled' },
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant={status === 'closed' ? 'default' : 'light'}
      size="sm"
      component="span"
      className="nowrap"
      data-testid="case-status"
      data-status={status}
    >
      {t(`incidents.status.${status}`)}
    </Badge>
  );
}

export function CaseSeverityBadge({ severity }: { severity: CaseSeverity }) {
  const { t } = useTranslation();
  const style = SEVERITY_STYLE[severity];
  return (
    <Badge color={style.color} variant={style.variant} size="sm" component="span" data-testid="case-severity" data-severity={severity}>
      {t(`incidents.severity.${severity}`)}
    </Badge>
  );
}

const CLOCK_STYLE: Record<ClockState, { color: string; variant: 'light' | 'filled' | 'outline'; icon: typeof IconClock }> = {
  met: { color: 'green', variant: 'light', icon: IconCircleCheck },
  open: { color: 'blue', variant: 'light', icon: IconClock },
  due_soon: { color: 'orange', variant: 'filled', icon: IconHourglass },
  overdue: { color: 'red', variant: 'filled', icon: IconAlertTriangle },
  waiting: { color: 'blue', variant: 'outline', icon: IconHourglass },
};

/** A deadline's state: colour, icon and its word ("Overdue"), so colour is never the only signal. */
export function ClockStateBadge({ state }: { state: ClockState }) {
  const { t } = useTranslation();
  const style = CLOCK_STYLE[state];
  const StateIcon = style.icon;
  return (
    <Badge
      color={style.color}
      variant={style.variant}
      size="sm"
      component="span"
      leftSection={<StateIcon size={12} aria-hidden />}
      data-testid="clock-state"
      data-state={state}
    >
      {t(`incidents.clocks.state.${state}`)}
    </Badge>
  );
}

export function SharedBadge({ shared }: { shared: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color="teal" variant={shared ? 'light' : 'default'} size="xs" component="span" data-testid="shared-badge" data-shared={shared}>
      {shared ? t('incidents.shared') : t('incidents.internal')}
    </Badge>
  );
}
