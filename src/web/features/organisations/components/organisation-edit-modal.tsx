import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import {
  MEMBERSHIP_STATUSES,
  organisationKeys,
  SEGMENTS,
  updateOrganisation,
  type MembershipStatus,
  type Organisation,
  type OrganisationPatch,
  type Segment,
} from '../api';
import { ClientOrganisationsSelect } from './client-organisations-select';

interface OrganisationEditModalProps {
  organisation: Organisation;
  opened: boolean;
  onClose: () => void;
}

/** Edit an organisation's registration (CERT roles). The modal unmounts its form when closed. */
export function OrganisationEditModal({ organisation, opened, onClose }: OrganisationEditModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('organisationEdit.title', { name: organisation.name })}
      size="lg"
    >
      <OrganisationEditForm organisation={organisation} onDone={onClose} />
    </Modal>
  );
}

function OrganisationEditForm({ organisation, onDone }: { organisation: Organisation; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(organisation.name);
  const [shortName, setShortName] = useState(organisation.shortName ?? '');
  const [segment, setSegment] = useState<Segment>(organisation.segment ?? 'other');
  const [membershipStatus, setMembershipStatus] = useState<MembershipStatus>(organisation.membershipStatus);
  const [memberSince, setMemberSince] = useState(organisation.memberSince ?? '');
  const [memberUntil, setMemberUntil] = useState(organisation.memberUntil ?? '');
  const [clients, setClients] = useState<string[]>(organisation.clientOrganisationIds);
  // ISO dates (YYYY-MM-DD) compare correctly as strings.
  const untilBeforeSince = memberSince !== '' && memberUntil !== '' && memberUntil < memberSince;

  const mutation = useMutation({
    mutationFn: (patch: OrganisationPatch) => updateOrganisation(organisation.id, patch),
    onSuccess: async (saved) => {
      queryClient.setQueryData(organisationKeys.detail(saved.id), saved);
      notifications.show({ color: 'green', message: t('organisationEdit.saved') });
      onDone();
      await queryClient.invalidateQueries({ queryKey: organisationKeys.all });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (untilBeforeSince) return;
    mutation.mutate({
      name: name.trim(),
      shortName: shortName.trim() || null,
      membershipStatus,
      memberSince: memberSince || null,
      memberUntil: memberUntil || null,
      // Only participants have a segment and only partners have clients; the API refuses the rest.
      ...(organisation.kind === 'participant' && { segment }),
      ...(organisation.kind === 'partner' && { clientOrganisationIds: clients }),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('organisation.fields.name')}
          name="name"
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          data-autofocus
        />
        <TextInput
          label={t('organisation.fields.shortName')}
          name="shortName"
          maxLength={50}
          value={shortName}
          onChange={(event) => setShortName(event.currentTarget.value)}
        />
        {organisation.kind === 'participant' ? (
          <NativeSelect
            label={t('organisation.fields.segment')}
            name="segment"
            value={segment}
            onChange={(event) => setSegment(optionalEnum(event.currentTarget.value, SEGMENTS) ?? 'other')}
            data={SEGMENTS.map((value) => ({ value, label: t(`organisation.segment.${value}`) }))}
          />
        ) : null}
        <NativeSelect
          label={t('organisation.fields.membershipStatus')}
          name="membershipStatus"
          value={membershipStatus}
          onChange={(event) =>
            setMembershipStatus(
              optionalEnum(event.currentTarget.value, MEMBERSHIP_STATUSES) ?? organisation.membershipStatus,
            )
          }
          data={MEMBERSHIP_STATUSES.map((value) => ({ value, label: t(`organisation.membership.${value}`) }))}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            type="date"
            label={t('organisation.fields.memberSince')}
            name="memberSince"
            value={memberSince}
            onChange={(event) => setMemberSince(event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('organisation.fields.memberUntil')}
            name="memberUntil"
            value={memberUntil}
            onChange={(event) => setMemberUntil(event.currentTarget.value)}
            error={untilBeforeSince ? t('organisationEdit.untilBeforeSince') : undefined}
          />
        </SimpleGrid>
        {organisation.kind === 'partner' ? (
          <ClientOrganisationsSelect value={clients} onChange={setClients} disabled={mutation.isPending} />
        ) : null}
        <ErrorAlert error={mutation.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            loading={mutation.isPending}
            disabled={name.trim() === '' || untilBeforeSince}
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
