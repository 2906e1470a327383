import { useCallback } from 'react';
import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime, intlLocale } from '../../../lib/format';
import { isKnownType, type Finding, type FindingStatus, type Severity } from '../api';

// The same colours as the CVSS badges of advisories: the text carries the meaning, the colour only helps.
const SEVERITY_STYLE: Record<Severity, { color: string; variant: 'light' | 'filled' }> = {
  info: { color: 'gray', variant: 'light' },
  low: { color: 'lime', variant: 'light' },
  medium: { color: 'yellow', variant: 'light' },
  high: { color: 'orange', variant: 'light' },
  critical: { color: 'red', variant: 'filled' },
};

const STATUS_COLOR: Record<FindingStatus, string> = {
  new: 'red',
  notified: 'orange',
  acknowledged: 'blue',
  resolved: 'green',
  accepted_risk: 'gray',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  const style = SEVERITY_STYLE[severity];
  return (
    <Badge color={style.color} variant={style.variant} size="sm" component="span" data-testid="finding-severity" data-severity={severity}>
      {t(`monitoring.severity.${severity}`)}
    </Badge>
  );
}

export function FindingStatusBadge({ status }: { status: FindingStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm" component="span" className="nowrap" data-testid="finding-status" data-status={status}>
      {t(`monitoring.status.${status}`)}
    </Badge>
  );
}

/** "Reopened", with how often and when in its tooltip (and its accessible name). */
export function ReopenedBadge({ finding }: { finding: Pick<Finding, 'reopenedCount' | 'reopenedAt'> }) {
  const { t, i18n } = useTranslation();
  if (finding.reopenedCount === 0) return null;
  const detail = t('monitoring.reopenedTimes', {
    count: finding.reopenedCount,
    date: formatDateTime(finding.reopenedAt, intlLocale(i18n.language)) || '—',
  });
  return (
    <Tooltip label={detail}>
      <Badge color="orange" variant="outline" size="sm" component="span" aria-label={detail} title={detail} data-testid="finding-reopened">
        {t('monitoring.reopened')}
      </Badge>
    </Tooltip>
  );
}

export function RecheckBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="blue" variant="outline" size="sm" component="span" data-testid="finding-recheck">
      {t('monitoring.recheckPending')}
    </Badge>
  );
}

/** The human label of a finding type; a type the interface does not know (a source's own) reads as itself. */
export function useFindingTypeLabel(): (type: string) => string {
  const { t } = useTranslation();
  return useCallback((type: string) => (isKnownType(type) ? t(`monitoring.types.${type}`) : type), [t]);
}

/** "192.0.2.10:3389", or the name or address alone for findings about a host as a whole. */
export function systemOf(finding: Pick<Finding, 'subject' | 'port'>): string {
  if (!finding.port) return finding.subject;
  // An IPv6 address takes brackets before its port, as in a URL.
  return finding.subject.includes(':') ? `[${finding.subject}]:${finding.port}` : `${finding.subject}:${finding.port}`;
}
