import { useMemo } from 'react';
import { Badge, Button, Code, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { tokenKeys, tokensApi, tokensQuery, tokenState, type ApiToken, type TokenState } from '../api';
import { CreateTokenModal } from '../components/create-token-modal';

const col = columnHelper<ApiToken>();
const STATE_COLOR: Record<TokenState, string> = { active: 'green', revoked: 'gray', expired: 'orange' };

export function TokensPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(tokensQuery);
  const [createOpened, create] = useDisclosure(false);

  const revoke = useMutation({
    mutationFn: tokensApi.revoke,
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('tokens.revoked') });
      await queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', { header: () => t('tokens.fields.name') }),
        col.accessor('prefix', {
          header: () => t('tokens.fields.prefix'),
          cell: (info) => <Code>{info.getValue()}…</Code>,
        }),
        col.accessor('scopes', {
          header: () => t('tokens.fields.scopes'),
          cell: (info) => (
            <Group gap={4}>
              {info.getValue().map((scope) => (
                <Badge key={scope} size="xs" variant="light" color="gray" tt="none">
                  {scope}
                </Badge>
              ))}
            </Group>
          ),
        }),
        col.display({
          id: 'status',
          header: () => t('tokens.fields.status'),
          cell: (info) => {
            const state = tokenState(info.row.original);
            return (
              <Badge size="sm" variant="light" color={STATE_COLOR[state]}>
                {t(`tokens.state.${state}`)}
              </Badge>
            );
          },
        }),
        col.accessor('expiresAt', {
          header: () => t('tokens.fields.expiresAt'),
          cell: (info) => <DateTime value={info.getValue()} fallback={t('tokens.noExpiry')} />,
        }),
        col.accessor('lastUsedAt', {
          header: () => t('tokens.fields.lastUsedAt'),
          cell: (info) => <DateTime value={info.getValue()} fallback={t('tokens.never')} />,
        }),
        col.accessor('createdAt', {
          header: () => t('tokens.fields.createdAt'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.display({
          id: 'actions',
          header: () => t('common.actions'),
          cell: (info) => {
            const token = info.row.original;
            if (tokenState(token) === 'revoked') return null;
            return (
              <ConfirmButton
                size="compact-xs"
                variant="default"
                color="red"
                message={t('tokens.revokeConfirm')}
                confirmLabel={t('tokens.revoke')}
                onConfirm={() => revoke.mutate(token.id)}
                loading={revoke.isPending && revoke.variables === token.id}
              >
                {t('tokens.revoke')}
              </ConfirmButton>
            );
          },
        }),
      ]),
    [t, revoke],
  );

  return (
    <>
      <PageHeader
        title={t('nav.tokens')}
        description={t('tokens.intro')}
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={create.open}
            data-testid="create-token"
          >
            {t('tokens.create')}
          </Button>
        }
      />
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.items ?? NO_ROWS}
        columns={columns}
        caption={t('nav.tokens')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        testId="tokens-table"
      />
      {createOpened ? <CreateTokenModal onClose={create.close} /> : null}
    </>
  );
}
