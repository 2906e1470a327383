import { useMemo, useState } from 'react';
import { Badge, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLockOpen, IconPlus, IconTargetArrow, IconUserCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { EditDeleteActions } from '../../../components/edit-delete-actions';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { formatDate, intlLocale } from '../../../lib/format';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { organisationKeys } from '../api';
import { contactsApi, contactsQuery, type Contact } from '../contacts-api';
import { ContactFormModal } from './contact-form-modal';

const col = columnHelper<Contact>();

type Editing = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; contact: Contact };

function PgpStatus({ contact }: { contact: Contact }) {
  const { t, i18n } = useTranslation();
  const pgp = contact.pgp;
  if (!pgp) {
    return (
      <Group gap={4} wrap="nowrap">
        <IconLockOpen size={14} aria-hidden />
        <Text size="xs" c="dimmed">
          {t('contact.pgpNone')}
        </Text>
      </Group>
    );
  }
  const detail = pgp.expired
    ? t('contact.pgpExpired')
    : pgp.expiresAt
      ? t('contact.pgpExpires', { date: formatDate(pgp.expiresAt, intlLocale(i18n.language)) })
      : null;
  return (
    <Tooltip label={pgp.userIds.join(', ') || pgp.fingerprint} multiline maw={360}>
      <Group gap={4} wrap="nowrap" tabIndex={0}>
        <IconLock size={14} aria-hidden />
        <Text size="xs" ff="monospace">
          {pgp.fingerprint.slice(-16)}
        </Text>
        {detail ? (
          <Badge size="xs" color={pgp.expired ? 'red' : 'gray'} variant="light">
            {detail}
          </Badge>
        ) : null}
      </Group>
    </Tooltip>
  );
}

/** The address, flagged red when the mail server has refused it for good. */
function ContactEmail({ contact }: { contact: Contact }) {
  const { t, i18n } = useTranslation();
  const failing = contact.emailFailing;
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm">{contact.email}</Text>
      {failing ? (
        <Tooltip label={t('contact.emailFailingSince', { date: formatDate(failing.since, intlLocale(i18n.language)), reason: failing.reason })} multiline maw={360}>
          <Badge size="xs" color="red" variant="filled" tabIndex={0} data-testid="email-failing">
            {t('contact.emailFailing')}
            {/* The tooltip is for sighted mouse users; the reason is part of the badge's text too. */}
            <span className="visually-hidden">: {failing.reason}</span>
          </Badge>
        </Tooltip>
      ) : null}
      {contact.onlyRelevant ? (
        <Tooltip label={t('contact.fields.onlyRelevant')} multiline maw={360}>
          <IconTargetArrow size={14} aria-label={t('contact.fields.onlyRelevant')} role="img" />
        </Tooltip>
      ) : null}
    </Group>
  );
}

export function ContactsTab({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(contactsQuery(organisationId));
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  const canWrite = can(useCurrentUser().role, 'contacts:write');

  const remove = useMutation({
    mutationFn: contactsApi.remove,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: organisationKeys.contacts(organisationId) });
      notifications.show({ color: 'green', message: t('contact.deleted') });
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  const baseColumns = useMemo(
    () =>
      col.columns([
        col.accessor('name', {
          header: () => t('contact.fields.name'),
          cell: (info) => (
            <Group gap={4} wrap="nowrap">
              <Text size="sm">{info.getValue()}</Text>
              {info.row.original.userId ? (
                <Tooltip label={t('contact.linkedUser')}>
                  <IconUserCheck size={14} aria-label={t('contact.linkedUser')} role="img" />
                </Tooltip>
              ) : null}
            </Group>
          ),
        }),
        col.accessor('email', {
          header: () => t('contact.fields.email'),
          cell: (info) => <ContactEmail contact={info.row.original} />,
        }),
        col.accessor('kind', {
          header: () => t('contact.fields.kind'),
          cell: (info) => t(`contact.kind.${info.getValue()}`),
        }),
        col.accessor('roles', {
          header: () => t('contact.fields.roles'),
          cell: (info) => (
            <Group gap={4}>
              {info.getValue().map((role) => (
                <Badge key={role} size="xs" variant="light">
                  {t(`contact.role.${role}`)}
                </Badge>
              ))}
            </Group>
          ),
        }),
        col.accessor('languages', {
          header: () => t('contact.fields.languages'),
          cell: (info) =>
            info
              .getValue()
              .map((lang) => lang.toUpperCase())
              .join(', '),
        }),
        col.accessor('phone', {
          header: () => t('contact.fields.phone'),
          cell: (info) => info.getValue() ?? '—',
        }),
        col.accessor('subscriptions', {
          header: () => t('contact.fields.subscriptions'),
          cell: (info) => (
            <Text size="xs">
              {info
                .getValue()
                .map((s) => t(`contact.subscription.${s}`))
                .join(', ') || '—'}
            </Text>
          ),
        }),
        col.display({
          id: 'pgp',
          header: () => t('contact.fields.pgp'),
          cell: (info) => <PgpStatus contact={info.row.original} />,
        }),
      ]),
    [t],
  );

  const columns = useMemo(
    () =>
      canWrite
        ? col.columns([
            ...baseColumns,
            col.display({
              id: 'actions',
              header: () => t('common.actions'),
              cell: (info) => {
                const contact = info.row.original;
                return (
                  <EditDeleteActions
                    editLabel={t('contact.editNamed', { name: contact.name })}
                    deleteLabel={t('contact.deleteNamed', { name: contact.name })}
                    confirmMessage={t('contact.deleteConfirm')}
                    onEdit={() => setEditing({ mode: 'edit', contact })}
                    onDelete={() => remove.mutate(contact.id)}
                  />
                );
              },
            }),
          ])
        : baseColumns,
    [t, remove, canWrite, baseColumns],
  );

  return (
    <Stack gap="sm">
      {canWrite ? (
        <Group justify="flex-end">
          <Button
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => setEditing({ mode: 'new' })}
            data-testid="add-contact"
          >
            {t('contact.add')}
          </Button>
        </Group>
      ) : null}
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.items ?? NO_ROWS}
        columns={columns}
        caption={t('organisation.tabs.contacts')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        testId="contacts-table"
      />
      {editing.mode === 'closed' ? null : (
        <ContactFormModal
          organisationId={organisationId}
          contact={editing.mode === 'edit' ? editing.contact : undefined}
          onClose={() => setEditing({ mode: 'closed' })}
        />
      )}
    </Stack>
  );
}
