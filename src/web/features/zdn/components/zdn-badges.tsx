import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IndicatorStatus, IndicatorType, SightingSummary } from '../api';

const STATUS_COLOR: Record<IndicatorStatus, string> = {
  active: 'green',
  pending: 'yellow',
  held: 'orange',
  rejected: 'red',
};

export function IndicatorStatusBadge({ status, expired = false }: { status: IndicatorStatus; expired?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Badge color={STATUS_COLOR[status]} variant="light" size="sm" component="span" data-testid="indicator-status" data-status={status}>
        {t(`zdn.status.${status}`)}
      </Badge>
      {expired ? (
        <Badge color="gray" variant="outline" size="sm" component="span" ml={4}>
          {t('zdn.expired')}
        </Badge>
      ) : null}
    </>
  );
}

export function IndicatorTypeBadge({ type }: { type: IndicatorType }) {
  const { t } = useTranslation();
  return (
    <Badge color="gray" variant="outline" size="sm" component="span" radius="xs" tt="none" className="nowrap">
      {t(`zdn.types.${type}`)}
    </Badge>
  );
}

/** "also in 2 events", or a dash when the value appears nowhere else the reader may see. */
export function AlsoInEvents({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count === 0) return <>—</>;
  return (
    <Text size="sm" span className="nowrap" data-testid="also-in-events">
      {t('zdn.alsoInEvents', { count })}
    </Text>
  );
}

/** "seen at 3 organisations", with the last 24 hours and 7 days underneath. */
export function SeenAt({ sightings }: { sightings: SightingSummary | undefined }) {
  const { t } = useTranslation();
  if (!sightings || sightings.organisationsTotal === 0) {
    return (
      <Text size="sm" c="dimmed" span data-testid="seen-at">
        {t('zdn.notSeen')}
      </Text>
    );
  }
  return (
    <div>
      <Text size="sm" span className="nowrap" data-testid="seen-at">
        {t('zdn.seenAt', { count: sightings.organisationsTotal })}
      </Text>
      <Text size="xs" c="dimmed" className="nowrap" data-testid="seen-window">
        {t('zdn.seenWindow', { day: sightings.organisations24h, week: sightings.organisations7d })}
      </Text>
    </div>
  );
}

/** One line of a (possibly multi-line, very long) value: YARA and Sigma rules are shown in full on the detail page. */
export function shortValue(value: string, max = 90): string {
  const firstLine = value.split(/\r?\n/, 1)[0] ?? '';
  const cut = firstLine.length > max ? `${firstLine.slice(0, max)}…` : firstLine;
  return cut.length < value.length && !cut.endsWith('…') ? `${cut} …` : cut;
}
