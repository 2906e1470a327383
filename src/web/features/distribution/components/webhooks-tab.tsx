import { useMemo, useState } from 'react';
import { Button, Group, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { EditDeleteActions } from '../../../components/edit-delete-actions';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { optionalEnum } from '../../../lib/search-params';
import { PRODUCT_KINDS } from '../../advisories/api';
import { TlpBadge } from '../../advisories/components/advisory-badges';
import { distributionApi, distributionKeys, webhooksQuery, type Webhook } from '../api';
import { WebhookFormModal } from './webhook-form-modal';

const col = columnHelper<Webhook>();

type Editing = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; webhook: Webhook };

/** An organisation's webhooks (chat channels, ticket systems), for those who may manage them. */
export function WebhooksTab({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(webhooksQuery(organisationId));
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });

  const onError = (error: unknown) => notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: distributionKeys.webhooksAll });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => distributionApi.updateWebhook(id, { enabled }),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({
    mutationFn: distributionApi.deleteWebhook,
    onSuccess: async () => {
      await refresh();
      notifications.show({ color: 'green', message: t('webhooks.deleted') });
    },
    onError,
  });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', { header: () => t('webhooks.fields.name') }),
        col.accessor('url', {
          header: () => t('webhooks.fields.url'),
          cell: (info) => (
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {info.getValue()}
            </Text>
          ),
        }),
        col.accessor('format', { header: () => t('webhooks.fields.format'), cell: (info) => t(`webhooks.format.${info.getValue()}`) }),
        col.accessor('maxTlp', { header: () => t('webhooks.fields.maxTlp'), cell: (info) => <TlpBadge tlp={info.getValue()} /> }),
        col.accessor('kinds', {
          header: () => t('webhooks.fields.kinds'),
          cell: (info) => (
            <Text size="xs">
              {info
                .getValue()
                .map((kind) => {
                  const known = optionalEnum(kind, PRODUCT_KINDS);
                  return known ? t(`advisories.kind.${known}`) : kind;
                })
                .join(', ')}
            </Text>
          ),
        }),
        col.accessor('lastStatus', {
          header: () => t('webhooks.fields.lastStatus'),
          cell: (info) => (
            <Stack gap={0}>
              <Text size="xs">{info.getValue() ?? '—'}</Text>
              <Text size="xs" c="dimmed">
                <DateTime value={info.row.original.lastAttemptAt} fallback="" />
              </Text>
            </Stack>
          ),
        }),
        col.accessor('enabled', {
          header: () => t('webhooks.fields.enabled'),
          cell: (info) => {
            const webhook = info.row.original;
            return (
              <Switch
                checked={info.getValue()}
                onChange={(event) => toggle.mutate({ id: webhook.id, enabled: event.currentTarget.checked })}
                aria-label={t('webhooks.enabledNamed', { name: webhook.name })}
              />
            );
          },
        }),
        col.display({
          id: 'actions',
          header: () => t('common.actions'),
          cell: (info) => {
            const webhook = info.row.original;
            return (
              <EditDeleteActions
                editLabel={t('webhooks.editNamed', { name: webhook.name })}
                deleteLabel={t('webhooks.deleteNamed', { name: webhook.name })}
                confirmMessage={t('webhooks.deleteConfirm')}
                onEdit={() => setEditing({ mode: 'edit', webhook })}
                onDelete={() => remove.mutate(webhook.id)}
              />
            );
          },
        }),
      ]),
    [t, toggle, remove],
  );

  return (
    <Stack gap="sm" data-testid="webhooks-tab">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          {t('webhooks.intro')}
        </Text>
        <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setEditing({ mode: 'new' })} data-testid="add-webhook">
          {t('webhooks.add')}
        </Button>
      </Group>
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.items ?? NO_ROWS}
        columns={columns}
        caption={t('webhooks.title')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        emptyText={t('webhooks.empty')}
        testId="webhooks-table"
      />
      {editing.mode === 'closed' ? null : (
        <WebhookFormModal organisationId={organisationId} webhook={editing.mode === 'edit' ? editing.webhook : undefined} onClose={() => setEditing({ mode: 'closed' })} />
      )}
    </Stack>
  );
}
