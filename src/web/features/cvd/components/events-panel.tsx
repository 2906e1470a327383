import { Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import type { CvdEvent } from '../api';

/** The case's history, newest first: status moves, dates, parties, links, consent, files. */
export function EventsPanel({ events }: { events: readonly CvdEvent[] }) {
  const { t } = useTranslation();
  // The API lists them oldest first (by time, then in the order they were recorded).
  const newestFirst = [...events].reverse();
  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="cvd-events-title" data-testid="cvd-events">
      <Stack gap="sm">
        <Title order={2} size="h5" id="cvd-events-title">
          {t('cvd.events.title')}
        </Title>
        {newestFirst.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('cvd.events.none')}
          </Text>
        ) : (
          <Timeline bulletSize={10} lineWidth={2}>
            {newestFirst.map((e, index) => (
              <Timeline.Item key={`${e.at}-${index}`} data-testid="cvd-event" data-kind={e.kind}>
                <Text size="sm">{e.text}</Text>
                {e.reason ? (
                  <Text size="xs" mt={2}>
                    {t('cvd.events.reason', { reason: e.reason })}
                  </Text>
                ) : null}
                <Text size="xs" c="dimmed" mt={2}>
                  <DateTime value={e.at} />
                  {e.actor ? ` · ${e.actor}` : ''}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </Paper>
  );
}
