import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title, TypographyStylesProvider } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { PageHeader } from '../../../components/page-header';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { formatMeetingTime, meetingPath, meetingQuery, type Meeting } from '../api';
import { AttendeesPanel } from '../components/attendees-panel';
import { MaterialsPanel } from '../components/materials-panel';
import { MeetingForm } from '../components/meeting-form';
import { useCancelMeeting, useRsvp } from '../mutations';

const routeApi = getRouteApi('/_app/meetings/$id');

/** One meeting: when and where, agenda, seats, my answer, the calendar file, materials; the organiser's tools. */
export function MeetingPage() {
  const { t } = useTranslation();
  const { id } = routeApi.useParams();
  const query = useQuery(meetingQuery(id));
  const [editing, setEditing] = useState(false);
  const m = query.data;
  if (query.isPending) return <LoadingIndicator />;
  if (!m) return <ErrorAlert error={query.error} />;

  return (
    <>
      <Anchor component={Link} to="/meetings" size="sm">
        ← {t('meetings.back')}
      </Anchor>
      <PageHeader
        title={m.title}
        description={
          <Group gap="xs">
            <TlpBadge tlp={m.tlp} />
            <Badge color={m.status === 'cancelled' ? 'red' : 'blue'}>{t(`meetings.status.${m.status}`)}</Badge>
          </Group>
        }
        actions={m.canManage && m.status === 'planned' ? <OrganiserActions meeting={m} onEdit={() => setEditing((v) => !v)} /> : null}
      />
      {editing ? <MeetingForm meeting={m} onDone={() => setEditing(false)} /> : null}
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Stack gap="md" style={{ flex: '2 1 28rem' }}>
          <Facts meeting={m} />
          {m.descriptionHtml ? <Section title={t('meetings.description')} html={m.descriptionHtml} /> : null}
          {m.agendaHtml ? <Section title={t('meetings.agenda')} html={m.agendaHtml} /> : null}
          <MaterialsPanel meeting={m} />
          {m.canManage ? <AttendeesPanel meetingId={m.id} /> : null}
        </Stack>
        <RsvpCard meeting={m} />
      </Group>
    </>
  );
}

function Facts({ meeting: m }: { meeting: Meeting }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={4}>
      <Text>
        <strong>{t('meetings.when')}:</strong> {formatMeetingTime(m.startsAt, i18n.language)} – {formatMeetingTime(m.endsAt, i18n.language)}
      </Text>
      {m.place ? (
        <Text>
          <strong>{t('meetings.where')}:</strong> {m.place}
        </Text>
      ) : null}
      {m.onlineUrl ? (
        <Text>
          <strong>{t('meetings.link')}:</strong>{' '}
          <Anchor href={m.onlineUrl} target="_blank" rel="noopener noreferrer">
            {m.onlineUrl}
          </Anchor>
        </Text>
      ) : null}
      {m.rsvpDeadline ? (
        <Text>
          <strong>{t('meetings.deadline')}:</strong> {formatMeetingTime(m.rsvpDeadline, i18n.language)}
        </Text>
      ) : null}
    </Stack>
  );
}

function Section({ title, html }: { title: string; html: string }) {
  return (
    <Stack gap={4}>
      <Title order={2} size="h4">
        {title}
      </Title>
      {/* Sanitised on the server (lib/markdown.ts). */}
      <TypographyStylesProvider>
        <div dangerouslySetInnerHTML={{ __html: html }} />
      </TypographyStylesProvider>
    </Stack>
  );
}

function RsvpCard({ meeting: m }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const rsvp = useRsvp(m.id);
  const mine = m.myRsvp?.status ?? null;
  const wants = mine === 'going' || mine === 'waiting';
  return (
    <Card withBorder padding="md" style={{ flex: '1 1 16rem' }}>
      <Stack gap="xs">
        {m.seatsLeft !== null ? <Text fw={600}>{t('meetings.seatsLeft', { count: m.seatsLeft })}</Text> : null}
        <Text size="sm" c="dimmed">
          {t('meetings.going', { count: m.going })}
          {m.waiting > 0 ? ` · ${t('meetings.waitingCount', { count: m.waiting })}` : ''}
        </Text>
        {mine ? <Badge color={mine === 'going' ? 'teal' : 'gray'}>{t(`meetings.rsvp.${mine}`, { position: m.myRsvp?.waitingPosition })}</Badge> : null}
        {m.rsvpOpen && !wants && m.seatsLeft === 0 ? <Alert color="yellow">{t('meetings.rsvp.full')}</Alert> : null}
        {m.status === 'planned' && !m.rsvpOpen && !wants ? <Text size="sm">{t('meetings.rsvp.closed')}</Text> : null}
        {m.rsvpOpen && !wants ? (
          <Button loading={rsvp.isPending} onClick={() => rsvp.mutate('going')}>
            {t('meetings.rsvp.signUp')}
          </Button>
        ) : null}
        {wants && m.status === 'planned' ? (
          <Button variant="light" color="red" loading={rsvp.isPending} onClick={() => rsvp.mutate('not_going')}>
            {mine === 'waiting' ? t('meetings.rsvp.leaveList') : t('meetings.rsvp.withdraw')}
          </Button>
        ) : null}
        <ErrorAlert error={rsvp.error} />
        <Button component="a" variant="default" href={`${meetingPath(m.id)}/ics`} download="meeting.ics">
          {t('meetings.addToCalendar')}
        </Button>
      </Stack>
    </Card>
  );
}

function OrganiserActions({ meeting, onEdit }: { meeting: Meeting; onEdit: () => void }) {
  const { t } = useTranslation();
  const cancel = useCancelMeeting(meeting.id);
  return (
    <Group gap="xs">
      <Button variant="default" onClick={onEdit}>
        {t('meetings.form.edit')}
      </Button>
      <ConfirmButton
        color="red"
        variant="light"
        loading={cancel.isPending}
        message={t('meetings.form.cancelConfirm')}
        onConfirm={() => cancel.mutate(undefined)}
      >
        {t('meetings.form.cancelMeeting')}
      </ConfirmButton>
    </Group>
  );
}
