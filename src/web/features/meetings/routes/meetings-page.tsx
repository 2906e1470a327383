import { useState } from 'react';
import { Badge, Button, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { formatMeetingTime, meetingsQuery, type MeetingSummary } from '../api';
import { FeedPanel } from '../components/feed-panel';
import { MeetingForm } from '../components/meeting-form';

/** Network meetings: upcoming and past, my answer on each; the CERT organises new ones here. */
export function MeetingsPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const [creating, setCreating] = useState(false);
  const query = useQuery(meetingsQuery(when));
  const organiser = can(user.role, 'meetings:write');

  return (
    <>
      <PageHeader
        title={t('meetings.title')}
        description={t('meetings.intro')}
        actions={organiser ? <Button onClick={() => setCreating((v) => !v)}>{t('meetings.new')}</Button> : null}
      />
      {creating ? <MeetingForm onDone={() => setCreating(false)} /> : null}
      <Group justify="space-between" mb="md">
        <SegmentedControl
          value={when}
          onChange={(v) => setWhen(v === 'past' ? 'past' : 'upcoming')}
          data={[
            { value: 'upcoming', label: t('meetings.upcoming') },
            { value: 'past', label: t('meetings.past') },
          ]}
        />
      </Group>
      <ErrorAlert error={query.error} />
      {query.isPending ? <LoadingIndicator /> : null}
      <Stack gap="sm">
        {query.data?.items.length === 0 ? <Text c="dimmed">{t('meetings.empty')}</Text> : null}
        {query.data?.items.map((m) => (
          <MeetingCard key={m.id} meeting={m} lang={i18n.language} />
        ))}
      </Stack>
      <FeedPanel />
    </>
  );
}

function MeetingCard({ meeting: m, lang }: { meeting: MeetingSummary; lang: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" wrap="wrap">
        <Stack gap={2}>
          <Link to="/meetings/$id" params={{ id: m.id }}>
            <Text fw={600}>{m.title}</Text>
          </Link>
          <Text size="sm">{formatMeetingTime(m.startsAt, lang)}</Text>
          <Text size="sm" c="dimmed">
            {[m.place, m.online ? t('meetings.online') : null].filter(Boolean).join(' · ')}
          </Text>
        </Stack>
        <Group gap="xs">
          <TlpBadge tlp={m.tlp} />
          {m.status === 'cancelled' ? <Badge color="red">{t('meetings.status.cancelled')}</Badge> : null}
          {m.seatsLeft !== null ? <Badge variant="light">{t('meetings.seatsLeft', { count: m.seatsLeft })}</Badge> : null}
          {m.myRsvp ? (
            <Badge color={m.myRsvp.status === 'going' ? 'teal' : 'gray'}>{t(`meetings.rsvp.${m.myRsvp.status}`, { position: m.myRsvp.waitingPosition })}</Badge>
          ) : null}
        </Group>
      </Group>
    </Card>
  );
}
