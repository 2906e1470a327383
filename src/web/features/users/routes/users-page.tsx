import { useMemo } from 'react';
import { Badge, Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconShieldCheck, IconUserPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { columnHelper, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { RouterAnchor } from '../../../components/router-links';
import { can } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/use-current-user';
import { userKeys, usersApi, usersQuery, type User, type UserStatus } from '../api';
import { InviteUserModal } from '../components/invite-user-modal';

const col = columnHelper<User>();
const STATUS_COLOR: Record<UserStatus, string> = { invited: 'blue', active: 'green', disabled: 'gray' };

export function UsersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [inviteOpened, invite] = useDisclosure(false);
  const query = useInfiniteQuery(usersQuery);
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const canManage = can(me.role, 'users:write');

  const setStatus = useMutation({
    mutationFn: (input: { user: User; enable: boolean }) =>
      input.enable ? usersApi.enable(input.user.id) : usersApi.disable(input.user.id),
    onSuccess: async (_user, input) => {
      notifications.show({
        color: 'green',
        message: input.enable ? t('users.enabled') : t('users.disabled'),
      });
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('name', { header: () => t('users.fields.name') }),
        col.accessor('email', { header: () => t('users.fields.email') }),
        col.accessor('role', {
          header: () => t('users.fields.role'),
          cell: (info) => t(`roles.${info.getValue()}`),
        }),
        col.accessor('organisationName', {
          header: () => t('users.fields.organisation'),
          cell: (info) => (
            <RouterAnchor to="/organisations/$id" params={{ id: info.row.original.organisationId }} size="sm">
              {info.getValue()}
            </RouterAnchor>
          ),
        }),
        col.accessor('status', {
          header: () => t('users.fields.status'),
          cell: (info) => (
            <Badge size="sm" variant="light" color={STATUS_COLOR[info.getValue()]}>
              {t(`users.status.${info.getValue()}`)}
            </Badge>
          ),
        }),
        col.accessor('totpEnabled', {
          header: () => t('users.fields.totp'),
          cell: (info) =>
            info.getValue() ? (
              <IconShieldCheck
                size={16}
                role="img"
                aria-label={t('common.yes')}
                color="var(--mantine-color-green-light-color)"
              />
            ) : (
              <Text size="xs" c="dimmed">
                {t('common.no')}
              </Text>
            ),
        }),
        col.accessor('lastLoginAt', {
          header: () => t('users.fields.lastLogin'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.display({
          id: 'actions',
          header: () => t('common.actions'),
          cell: (info) => {
            const user = info.row.original;
            if (!canManage || user.id === me.id) return null;
            const busy = setStatus.isPending && setStatus.variables?.user.id === user.id;
            return user.status === 'disabled' ? (
              <Button
                size="compact-xs"
                variant="default"
                loading={busy}
                onClick={() => setStatus.mutate({ user, enable: true })}
              >
                {t('users.enable')}
              </Button>
            ) : (
              <ConfirmButton
                size="compact-xs"
                variant="default"
                loading={busy}
                message={t('users.disableConfirm')}
                confirmLabel={t('users.disable')}
                onConfirm={() => setStatus.mutate({ user, enable: false })}
              >
                {t('users.disable')}
              </ConfirmButton>
            );
          },
        }),
      ]),
    [t, canManage, me.id, setStatus],
  );

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        actions={
          canManage ? (
            <Button
              leftSection={<IconUserPlus size={16} aria-hidden />}
              onClick={invite.open}
              data-testid="invite-user"
            >
              {t('users.invite')}
            </Button>
          ) : null
        }
      />
      <ErrorAlert error={query.error} />
      <DataTable
        data={rows}
        columns={columns}
        caption={t('nav.users')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        testId="users-table"
      />
      <Group justify="center">
        <LoadMoreButton
          hasMore={query.hasNextPage}
          loading={query.isFetchingNextPage}
          onLoadMore={() => void query.fetchNextPage()}
        />
      </Group>
      {inviteOpened ? <InviteUserModal onClose={invite.close} /> : null}
    </>
  );
}
