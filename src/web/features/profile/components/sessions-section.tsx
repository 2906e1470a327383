import { useMemo } from 'react';
import { Badge, Button, Paper, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { columnHelper, DataTable, NO_ROWS } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert, errorMessage } from '../../../components/error-alert';
import { profileApi, profileKeys, sessionsQuery, type Session } from '../api';

const col = columnHelper<Session>();

export function SessionsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery(sessionsQuery);

  const end = useMutation({
    mutationFn: profileApi.endSession,
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('profile.sessions.ended') });
      await queryClient.invalidateQueries({ queryKey: profileKeys.sessions });
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: errorMessage(error, t('common.unexpectedError')) }),
  });

  const columns = useMemo(
    () =>
      col.columns([
        col.accessor('userAgent', {
          header: () => t('profile.sessions.userAgent'),
          cell: (info) => (
            <Text size="xs" lineClamp={2} maw={380}>
              {info.getValue() ?? '—'}
            </Text>
          ),
        }),
        col.accessor('ip', {
          header: () => t('profile.sessions.ip'),
          cell: (info) => info.getValue() ?? '—',
        }),
        col.accessor('createdAt', {
          header: () => t('profile.sessions.created'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.accessor('lastSeenAt', {
          header: () => t('profile.sessions.lastSeen'),
          cell: (info) => <DateTime value={info.getValue()} />,
        }),
        col.display({
          id: 'actions',
          header: () => t('common.actions'),
          cell: (info) => {
            const session = info.row.original;
            if (session.current) {
              return (
                <Badge size="sm" variant="light">
                  {t('profile.sessions.current')}
                </Badge>
              );
            }
            return (
              <Button
                size="compact-xs"
                variant="default"
                loading={end.isPending && end.variables === session.id}
                onClick={() => end.mutate(session.id)}
              >
                {t('profile.sessions.end')}
              </Button>
            );
          },
        }),
      ]),
    [t, end],
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sessions-heading">
      <Title order={2} size="h5" mb="sm" id="sessions-heading">
        {t('profile.sessions.title')}
      </Title>
      <ErrorAlert error={query.error} />
      <DataTable
        data={query.data?.items ?? NO_ROWS}
        columns={columns}
        caption={t('profile.sessions.title')}
        getRowId={(row) => row.id}
        loading={query.isPending}
        testId="sessions-table"
      />
    </Paper>
  );
}
