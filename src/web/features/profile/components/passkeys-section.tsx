import { useMemo } from 'react';
import { Badge, Button, Group, Paper, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { passkeysQuery, profileApi, profileKeys, type Passkey } from '../api';
import { AddPasskeyModal } from './add-passkey-modal';

const col = columnHelper<Passkey>();

/** The account's passkeys: list, add (runs the WebAuthn ceremony) and remove. */
export function PasskeysSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(passkeysQuery);
  const [adding, addModal] = useDisclosure(false);

  const remove = useMutation({
    mutationFn: profileApi.removePasskey,
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('passkeys.removed') });
      await queryClient.invalidateQueries({ queryKey: profileKeys.passkeys });
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', {
          header: () => t('passkeys.fields.name'),
          cell: (info) => (
            <Group gap={6} wrap="nowrap">
              <Text size="sm">{info.getValue()}</Text>
              {info.row.original.backedUp ? (
                <Badge size="xs" variant="light" color="gray" title={t('passkeys.syncedHelp')}>
                  {t('passkeys.synced')}
                </Badge>
              ) : null}
            </Group>
          ),
        }),
        col.accessor('createdAt', {
          header: () => t('passkeys.fields.createdAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.accessor('lastUsedAt', {
          header: () => t('passkeys.fields.lastUsedAt'),
          cell: (info) => <DateTime value={info.getValue()} fallback={t('passkeys.never')} />,
        }),
        col.display({
          id: 'actions',
          header: () => t('common.actions'),
          cell: (info) => {
            const passkey = info.row.original;
            return (
              <ConfirmButton
                size="compact-xs"
                variant="default"
                color="red"
                message={t('passkeys.removeConfirm', { name: passkey.name })}
                confirmLabel={t('passkeys.remove')}
                onConfirm={() => remove.mutate(passkey.id)}
                loading={remove.isPending && remove.variables === passkey.id}
                aria-label={t('passkeys.removeNamed', { name: passkey.name })}
              >
                {t('passkeys.remove')}
              </ConfirmButton>
            );
          },
        }),
      ]),
    [t, remove],
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="passkeys-heading">
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h5" id="passkeys-heading">
          {t('passkeys.title')}
        </Title>
        <Button
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={addModal.open}
          data-testid="add-passkey"
        >
          {t('passkeys.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('passkeys.help')}
      </Text>
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.items ?? NO_ROWS}
        columns={columns}
        caption={t('passkeys.title')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        emptyText={t('passkeys.empty')}
        testId="passkeys-table"
      />
      <AddPasskeyModal
        opened={adding}
        onClose={addModal.close}
        onAdded={(passkey) => {
          addModal.close();
          notifications.show({ color: 'green', message: t('passkeys.added', { name: passkey.name }) });
          void queryClient.invalidateQueries({ queryKey: profileKeys.passkeys });
        }}
      />
    </Paper>
  );
}
