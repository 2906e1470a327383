import { Text, Timeline } from '@mantine/core';
import { IconBell, IconCheck, IconEye, IconRefresh, IconRotateClockwise, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { FINDING_STATUS_LIST, type FindingEvent, type FindingStatus } from '../api';

const KINDS = ['opened', 'reopened', 'status', 'notified', 'recheck'] as const;
type Kind = (typeof KINDS)[number];
const KIND_ICON: Record<Kind, Icon> = { opened: IconEye, reopened: IconRotateClockwise, status: IconCheck, notified: IconBell, recheck: IconRefresh };

const isKind = (kind: string): kind is Kind => (KINDS as readonly string[]).includes(kind);
const isStatus = (status: string | null): status is FindingStatus => status !== null && (FINDING_STATUS_LIST as readonly string[]).includes(status);

/** What happened to the finding, oldest first: found, told, acknowledged, resolved, seen again… with who, when and why. */
export function HistoryTimeline({ history }: { history: readonly FindingEvent[] }) {
  const { t } = useTranslation();
  if (history.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('monitoring.finding.historyEmpty')}
      </Text>
    );
  }
  const statusLabel = (status: string | null) => (isStatus(status) ? t(`monitoring.status.${status}`) : (status ?? '—'));
  return (
    <Timeline active={history.length - 1} bulletSize={22} lineWidth={2} data-testid="history">
      {history.map((event, index) => {
        const KindIcon = isKind(event.kind) ? KIND_ICON[event.kind] : IconCheck;
        const title = isKind(event.kind) ? t(`monitoring.finding.kind.${event.kind}`) : event.kind;
        return (
          <Timeline.Item
            // Events have no id of their own; their order is fixed.
            key={`${index}-${event.at}`}
            bullet={<KindIcon size={12} aria-hidden />}
            title={
              <Text size="sm" fw={600} span>
                {title}
                {event.kind === 'status' && event.to
                  ? `: ${t('monitoring.finding.statusChange', { from: statusLabel(event.from), to: statusLabel(event.to) })}`
                  : null}
              </Text>
            }
            data-testid="history-item"
            data-kind={event.kind}
          >
            <Text size="xs" c="dimmed">
              <DateTime value={event.at} /> · {event.actor ? t('monitoring.finding.by', { name: event.actor }) : t('monitoring.finding.bySystem')}
              {event.source ? ` · ${t('monitoring.finding.via', { source: event.source })}` : null}
            </Text>
            {event.note ? (
              <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }} data-testid="history-note">
                {event.note}
              </Text>
            ) : null}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
