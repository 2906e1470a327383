import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { rolesForOrganisationKind } from '#modules/access/permissions.ts';
import { isCertRole, ROLES, type Role } from '../../auth/api';
import { useCurrentUser } from '../../auth/use-current-user';
import type { Organisation } from '../../organisations/api';
import { userKeys, usersApi } from '../api';
import { OrganisationPicker } from './organisation-picker';

const PARTICIPANT_ROLES: readonly Role[] = ['participant-admin', 'participant-member'];

export function InviteUserModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const cert = isCertRole(me.role);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(cert ? 'participant-admin' : 'participant-member');
  const [organisation, setOrganisation] = useState<Organisation | null>(null);
  // Participant admins invite colleagues into their own organisation only; for the CERT the
  // organisation's kind decides which roles can exist there (same rule as the server).
  const roleOptions: readonly Role[] = !cert
    ? PARTICIPANT_ROLES
    : organisation
      ? rolesForOrganisationKind(organisation.kind)
      : ROLES;
  const organisationId = cert ? (organisation?.id ?? '') : me.organisationId;

  const chooseOrganisation = (next: Organisation | null) => {
    setOrganisation(next);
    const allowed = next ? rolesForOrganisationKind(next.kind) : ROLES;
    if (!allowed.includes(role)) setRole(allowed[0] ?? role);
  };

  const mutation = useMutation({
    mutationFn: usersApi.invite,
    onSuccess: async (_user, invitation) => {
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      notifications.show({ color: 'green', message: t('users.invited', { email: invitation.email }) });
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ email: email.trim(), name: name.trim(), role, organisationId });
  };

  return (
    <Modal opened onClose={onClose} title={t('users.invite')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('users.fields.email')}
            name="email"
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t('users.fields.name')}
            name="name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <NativeSelect
            label={t('users.fields.role')}
            name="role"
            value={role}
            onChange={(event) => setRole(optionalEnum(event.currentTarget.value, roleOptions) ?? role)}
            data={roleOptions.map((value) => ({ value, label: t(`roles.${value}`) }))}
          />
          {cert ? (
            <OrganisationPicker
              label={t('users.fields.organisation')}
              value={organisation}
              onChange={chooseOrganisation}
            />
          ) : (
            <TextInput label={t('users.fields.organisation')} value={me.organisationName} readOnly />
          )}
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('users.invite')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
