import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import {
  createOrganisation,
  MEMBERSHIP_STATUSES,
  CREATABLE_KINDS,
  organisationKeys,
  SEGMENTS,
  type MembershipStatus,
  type NewOrganisation,
  type Organisation,
  type Segment,
} from '../api';

interface OrganisationFormModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (organisation: Organisation) => void;
}

export function OrganisationFormModal({ opened, onClose, onCreated }: OrganisationFormModalProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [shortName, setShortName] = useState('');
  const [kind, setKind] = useState<NewOrganisation['kind']>('participant');
  const [segment, setSegment] = useState<Segment>('hospital');
  const [membershipStatus, setMembershipStatus] = useState<MembershipStatus>('active');
  const [memberSince, setMemberSince] = useState('');

  const mutation = useMutation({
    mutationFn: createOrganisation,
    onSuccess: async (organisation) => {
      await queryClient.invalidateQueries({ queryKey: organisationKeys.all });
      onCreated(organisation);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({
      name: name.trim(),
      shortName: shortName.trim() || null,
      kind,
      segment: kind === 'participant' ? segment : null,
      membershipStatus,
      memberSince: memberSince || null,
    });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('organisation.new')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('organisation.fields.name')}
            name="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t('organisation.fields.shortName')}
            name="shortName"
            value={shortName}
            onChange={(event) => setShortName(event.currentTarget.value)}
          />
          <NativeSelect
            label={t('organisation.fields.kind')}
            name="kind"
            value={kind}
            onChange={(event) =>
              setKind(optionalEnum(event.currentTarget.value, CREATABLE_KINDS) ?? 'participant')
            }
            data={CREATABLE_KINDS.map((value) => ({ value, label: t(`organisation.kind.${value}`) }))}
          />
          {kind === 'participant' ? (
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
              setMembershipStatus(optionalEnum(event.currentTarget.value, MEMBERSHIP_STATUSES) ?? 'active')
            }
            data={MEMBERSHIP_STATUSES.map((value) => ({
              value,
              label: t(`organisation.membership.${value}`),
            }))}
          />
          <TextInput
            type="date"
            label={t('organisation.fields.memberSince')}
            name="memberSince"
            value={memberSince}
            onChange={(event) => setMemberSince(event.currentTarget.value)}
          />
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
