import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClock, IconHourglass, IconLock, IconPlayerStop } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CvdStatus, DisclosureClock, FirstResponseClock, PartyKind, PartyStatus } from '../api';

// The text carries the meaning; the colour only helps (and is never the only signal).
const STATUS_COLOR: Record<CvdStatus, string> = {
  received: 'red',
  triaged: 'orange',
  coordinating: 'blue',
  fixed: 'teal',
  disclosed: 'green',
  rejected: 'gray',
  out_of_scope: 'gray',
};

export function CvdStatusBadge({ status }: { status: CvdStatus }) {
  const { t } = useTranslation();
  const closed = status === 'rejected' || status === 'out_of_scope';
  return (
    <Badge color={STATUS_COLOR[status]} variant={closed ? 'default' : 'light'} size="sm" component="span" className="nowrap" data-testid="cvd-status" data-status={status}>
      {t(`cvd.status.${status}`)}
    </Badge>
  );
}

const PARTY_STATUS_COLOR: Record<PartyStatus, string> = {
  notified: 'orange',
  acknowledged: 'blue',
  fix_planned: 'indigo',
  fixed: 'green',
  not_affected: 'gray',
};

export function PartyStatusBadge({ status }: { status: PartyStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={PARTY_STATUS_COLOR[status]} variant="light" size="sm" component="span" className="nowrap" data-testid="party-status" data-status={status}>
      {t(`cvd.partyStatus.${status}`)}
    </Badge>
  );
}

export function PartyKindBadge({ kind }: { kind: PartyKind }) {
  const { t } = useTranslation();
  return (
    <Badge color={kind === 'finder' ? 'grape' : 'gray'} variant={kind === 'finder' ? 'light' : 'default'} size="sm" component="span" className="nowrap" data-testid="party-kind" data-kind={kind}>
      {t(`cvd.partyKind.${kind}`)}
    </Badge>
  );
}

type Style = { color: string; variant: 'light' | 'filled' | 'outline' | 'default'; icon: typeof IconClock };

const FIRST_RESPONSE_STYLE: Record<FirstResponseClock['state'], Style> = {
  met: { color: 'green', variant: 'light', icon: IconCircleCheck },
  running: { color: 'blue', variant: 'light', icon: IconClock },
  soon: { color: 'orange', variant: 'filled', icon: IconHourglass },
  overdue: { color: 'red', variant: 'filled', icon: IconAlertTriangle },
  stopped: { color: 'gray', variant: 'default', icon: IconPlayerStop },
};

/** The five-working-day clock of the first answer to the finder: "3 working days left", "Overdue", "Answered". */
export function FirstResponseBadge({ clock }: { clock: FirstResponseClock }) {
  const { t } = useTranslation();
  const style = FIRST_RESPONSE_STYLE[clock.state];
  const StateIcon = style.icon;
  const left = clock.workingDaysLeft;
  const text =
    clock.state === 'met'
      ? t('cvd.clocks.answered')
      : clock.state === 'overdue'
        ? t('cvd.clocks.overdue')
        : clock.state === 'stopped'
          ? t('cvd.clocks.stopped')
          : left === 0
            ? t('cvd.clocks.dueToday')
            : t('cvd.clocks.workingDaysLeft', { count: left ?? 0 });
  return (
    <Badge
      color={style.color}
      variant={style.variant}
      size="sm"
      component="span"
      className="nowrap"
      leftSection={<StateIcon size={12} aria-hidden />}
      data-testid="first-response-clock"
      data-state={clock.state}
    >
      {text}
    </Badge>
  );
}

const DISCLOSURE_STYLE: Record<DisclosureClock['state'], Style> = {
  running: { color: 'blue', variant: 'light', icon: IconLock },
  soon: { color: 'orange', variant: 'filled', icon: IconHourglass },
  overdue: { color: 'red', variant: 'filled', icon: IconAlertTriangle },
  stopped: { color: 'gray', variant: 'default', icon: IconPlayerStop },
};

/** The embargo: calendar days to the target disclosure date, "Past", or stopped (closed case). */
export function DisclosureBadge({ clock }: { clock: Pick<DisclosureClock, 'state' | 'daysLeft' | 'disclosedAt'> }) {
  const { t } = useTranslation();
  const style = DISCLOSURE_STYLE[clock.state];
  const StateIcon = style.icon;
  const left = clock.daysLeft ?? 0;
  const text =
    clock.state === 'overdue'
      ? t('cvd.clocks.datePassed')
      : clock.state === 'stopped'
        ? clock.disclosedAt
          ? t('cvd.clocks.disclosed')
          : t('cvd.clocks.stopped')
        : left === 0
          ? t('cvd.clocks.today')
          : t('cvd.clocks.daysLeft', { count: left });
  return (
    <Badge
      color={style.color}
      variant={style.variant}
      size="sm"
      component="span"
      className="nowrap"
      leftSection={<StateIcon size={12} aria-hidden />}
      data-testid="disclosure-clock"
      data-state={clock.state}
    >
      {text}
    </Badge>
  );
}
