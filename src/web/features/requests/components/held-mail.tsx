import { useState } from 'react';
import { Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { api } from '../../../lib/api-client';
import { heldQuery } from '../api';
import { useHeldMail } from '../mutations';

/** Mail held for review: from unknown senders, or replies from addresses outside the organisation. Never answered. */
export function HeldMail() {
  const { t } = useTranslation();
  const held = useQuery(heldQuery());
  const orgs = useQuery({
    queryKey: ['organisations', 'participants'],
    queryFn: () => api.get<{ items: { id: string; name: string; kind: string }[] }>('/api/v1/organisations', { kind: 'participant', limit: 200 }),
  });
  const { release, discard } = useHeldMail();
  const [orgFor, setOrgFor] = useState<Record<string, string | null>>({});
  const mails = held.data?.mails ?? [];
  const messages = held.data?.messages ?? [];
  if (!mails.length && !messages.length) return null;
  const orgOptions = (orgs.data?.items ?? []).filter((o) => o.kind === 'participant').map((o) => ({ value: o.id, label: o.name }));

  return (
    <Stack gap="sm" mb="lg">
      <Title order={2} size="h4">
        {t('requests.held.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('requests.held.intro')}
      </Text>
      <ErrorAlert error={held.error ?? release.error ?? discard.error} />
      {messages.map((m) => (
        <Card key={m.id} withBorder padding="sm">
          <Group justify="space-between">
            <Text size="sm">
              <RouterAnchor to="/requests/$id" params={{ id: m.requestId }}>
                {m.reference}
              </RouterAnchor>{' '}
              — {m.from} — <DateTime value={m.receivedAt} />
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
            {m.body}
          </Text>
        </Card>
      ))}
      {mails.map((m) => (
        <Card key={m.id} withBorder padding="sm">
          <Text size="sm" fw={600}>
            {m.subject}
          </Text>
          <Text size="xs" c="dimmed">
            {m.from} — <DateTime value={m.receivedAt} /> — {m.reason}
            {m.pgp ? ` — PGP: ${m.pgp}` : ''}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={6}>
            {m.body}
          </Text>
          <Group mt="xs">
            <Select
              aria-label={t('requests.held.organisation')}
              placeholder={t('requests.held.organisation')}
              data={orgOptions}
              searchable
              value={orgFor[m.id] ?? null}
              onChange={(v) => setOrgFor({ ...orgFor, [m.id]: v })}
            />
            <Button size="xs" disabled={!orgFor[m.id]} loading={release.isPending} onClick={() => release.mutate({ id: m.id, organisationId: orgFor[m.id]! })}>
              {t('requests.held.release')}
            </Button>
            <Button size="xs" color="red" variant="light" loading={discard.isPending} onClick={() => discard.mutate(m.id)}>
              {t('requests.held.discard')}
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
