import { useState } from 'react';
import { Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RecipientsSelect } from '../../advisories/editor/recipients-select';
import { TLP_CHOICES, type Meeting } from '../api';
import { useCreateMeeting, useUpdateMeeting } from '../mutations';

type TlpChoice = (typeof TLP_CHOICES)[number];

// <input type="datetime-local"> speaks the browser's zone; the portal's users are in Amsterdam.
const toLocal = (iso: string | null | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocal = (v: string) => (v ? new Date(v).toISOString() : null);

/** Create a meeting, or edit one (`meeting` given). */
export function MeetingForm({ meeting, onDone }: { meeting?: Meeting; onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateMeeting();
  const update = useUpdateMeeting(meeting?.id ?? '');
  const [v, setV] = useState({
    title: meeting?.title ?? '',
    description: meeting?.description ?? '',
    agenda: meeting?.agenda ?? '',
    startsAt: toLocal(meeting?.startsAt),
    endsAt: toLocal(meeting?.endsAt),
    place: meeting?.place ?? '',
    onlineUrl: meeting?.onlineUrl ?? '',
    capacity: meeting?.capacity ?? null,
    rsvpDeadline: toLocal(meeting?.rsvpDeadline),
    language: meeting?.language ?? 'nl',
    tlp: (meeting?.tlp ?? 'GREEN') as TlpChoice,
    recipients: (meeting?.recipients ?? []).map((r) => r.organisationId),
  });
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((old) => ({ ...old, [k]: value }));
  const body = {
    title: v.title,
    description: v.description,
    agenda: v.agenda,
    startsAt: fromLocal(v.startsAt) ?? '',
    endsAt: fromLocal(v.endsAt) ?? '',
    place: v.place.trim() || null,
    onlineUrl: v.onlineUrl.trim() || null,
    capacity: v.capacity,
    rsvpDeadline: fromLocal(v.rsvpDeadline),
    language: v.language,
    tlp: v.tlp,
    recipients: v.tlp === 'GREEN' ? [] : v.recipients.map((organisationId) => ({ organisationId })),
  };
  const submit = () => {
    if (meeting) update.mutate(body, { onSuccess: onDone });
    else create.mutate(body, { onSuccess: (m) => void navigate({ to: '/meetings/$id', params: { id: m.id } }) });
  };
  const pending = create.isPending || update.isPending;

  return (
    <Card withBorder mb="md" padding="md">
      <Stack gap="sm">
        <TextInput label={t('meetings.form.title')} required value={v.title} onChange={(e) => set('title', e.currentTarget.value)} />
        <Textarea
          label={t('meetings.form.description')}
          autosize
          minRows={2}
          value={v.description}
          onChange={(e) => set('description', e.currentTarget.value)}
        />
        <Textarea label={t('meetings.form.agenda')} autosize minRows={3} value={v.agenda} onChange={(e) => set('agenda', e.currentTarget.value)} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            type="datetime-local"
            label={t('meetings.form.startsAt')}
            required
            value={v.startsAt}
            onChange={(e) => set('startsAt', e.currentTarget.value)}
          />
          <TextInput type="datetime-local" label={t('meetings.form.endsAt')} required value={v.endsAt} onChange={(e) => set('endsAt', e.currentTarget.value)} />
          <TextInput
            type="datetime-local"
            label={t('meetings.form.rsvpDeadline')}
            value={v.rsvpDeadline}
            onChange={(e) => set('rsvpDeadline', e.currentTarget.value)}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('meetings.form.place')} value={v.place} onChange={(e) => set('place', e.currentTarget.value)} />
          <TextInput
            label={t('meetings.form.onlineUrl')}
            type="url"
            placeholder="https://"
            value={v.onlineUrl}
            onChange={(e) => set('onlineUrl', e.currentTarget.value)}
          />
          <NumberInput
            label={t('meetings.form.capacity')}
            min={1}
            value={v.capacity ?? ''}
            onChange={(n) => set('capacity', typeof n === 'number' ? n : null)}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('meetings.form.language')}
            data={['nl', 'en']}
            value={v.language}
            onChange={(x) => set('language', x === 'en' ? 'en' : 'nl')}
            allowDeselect={false}
          />
          <Select
            label={t('meetings.form.tlp')}
            data={TLP_CHOICES.map((x) => ({ value: x, label: `TLP:${x}` }))}
            value={v.tlp}
            onChange={(x) => set('tlp', TLP_CHOICES.find((c) => c === x) ?? 'GREEN')}
            allowDeselect={false}
          />
        </SimpleGrid>
        {v.tlp !== 'GREEN' ? (
          // The invited organisations, picked by name (the same picker as an advisory's recipients).
          <RecipientsSelect value={v.recipients} onChange={(recipients) => set('recipients', recipients)} required />
        ) : null}
        <ErrorAlert error={create.error ?? update.error} />
        <Group>
          <Button loading={pending} onClick={submit}>
            {meeting ? t('meetings.form.save') : t('meetings.form.create')}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
