import { useState } from 'react';
import { Badge, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { IconBuildingPlus, IconUserPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { organisationSearchQuery } from '../../organisations/api';
import type { IncidentCase } from '../api';
import { useInviteGuest, usePatchCase, useRevokeGuest } from '../mutations';

/**
 * Who takes part: the affected organisations (participants) and the guests the CERT invited into the
 * room (an IT supplier or MSSP). Guests see what the room sees; revoking takes them out again.
 */
export function PartiesPanel({ incident, readOnly }: { incident: IncidentCase; readOnly: boolean }) {
  const { t } = useTranslation();
  const organisations = useQuery(organisationSearchQuery('', 200));
  const invite = useInviteGuest(incident.id);
  const revoke = useRevokeGuest(incident.id);
  const patch = usePatchCase(incident.id);
  const [guestId, setGuestId] = useState('');
  const [affectedId, setAffectedId] = useState('');
  const taking = new Set([...incident.affected.map((o) => o.id), ...incident.guests.map((o) => o.id)]);
  const candidates = (organisations.data?.items ?? []).filter((o) => o.kind !== 'cert' && !taking.has(o.id));
  const participants = candidates.filter((o) => o.kind === 'participant');

  return (
    <Stack gap="sm" data-testid="parties-panel">
      <Paper withBorder p="sm" component="section" aria-labelledby="affected-title">
        <Stack gap="xs">
          <Title order={3} size="h6" id="affected-title">
            {t('incidents.parties.affected')}
          </Title>
          <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {incident.affected.map((o) => (
              <li key={o.id} data-testid="affected-organisation">
                <RouterAnchor to="/organisations/$id" params={{ id: o.id }} size="sm">
                  {o.name}
                </RouterAnchor>
              </li>
            ))}
          </Stack>
          {readOnly ? null : (
            <Group gap="sm" align="flex-end">
              <NativeSelect
                label={t('incidents.parties.addAffected')}
                name="affectedId"
                value={affectedId}
                onChange={(event) => setAffectedId(event.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...participants.map((o) => ({ value: o.id, label: o.name }))]}
                w={280}
              />
              <Button
                variant="light"
                leftSection={<IconBuildingPlus size={16} aria-hidden />}
                disabled={!affectedId}
                loading={patch.isPending}
                onClick={() => patch.mutate({ organisationIds: [...incident.affected.map((o) => o.id), affectedId] }, { onSuccess: () => setAffectedId('') })}
              >
                {t('incidents.parties.addAffectedSubmit')}
              </Button>
            </Group>
          )}
          <ErrorAlert error={patch.error} />
        </Stack>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="guests-title">
        <Stack gap="xs">
          <Title order={3} size="h6" id="guests-title">
            {t('incidents.parties.guests')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('incidents.parties.guestsHelp')}
          </Text>
          {incident.guests.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('incidents.parties.noGuests')}
            </Text>
          ) : (
            <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {incident.guests.map((g) => (
                <Group key={g.id} component="li" gap="xs" data-testid="guest" data-organisation={g.name}>
                  <Text size="sm" fw={500}>
                    {g.name}
                  </Text>
                  <Badge size="xs" variant="default" component="span">
                    {t(`incidents.parties.kinds.${g.kind === 'vendor' || g.kind === 'participant' ? g.kind : 'partner'}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t('incidents.parties.invitedAt')} <DateTime value={g.invitedAt} />
                  </Text>
                  {readOnly ? null : (
                    <ConfirmButton
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      message={t('incidents.parties.revokeConfirm', { name: g.name })}
                      onConfirm={() => revoke.mutate(g.id)}
                    >
                      {t('incidents.parties.revoke')}
                    </ConfirmButton>
                  )}
                </Group>
              ))}
            </Stack>
          )}
          {readOnly ? null : (
            <Group gap="sm" align="flex-end">
              <NativeSelect
                label={t('incidents.parties.invite')}
                name="guestId"
                value={guestId}
                onChange={(event) => setGuestId(event.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...candidates.map((o) => ({ value: o.id, label: o.name }))]}
                w={280}
              />
              <Button
                leftSection={<IconUserPlus size={16} aria-hidden />}
                disabled={!guestId}
                loading={invite.isPending}
                onClick={() => invite.mutate(guestId, { onSuccess: () => setGuestId('') })}
                data-testid="invite-guest"
              >
                {t('incidents.parties.inviteSubmit')}
              </Button>
            </Group>
          )}
          <ErrorAlert error={invite.error ?? revoke.error} />
        </Stack>
      </Paper>
    </Stack>
  );
}
