import { useState } from 'react';
import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconChecks } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMoreButton } from '../../../components/load-more-button';
import { PageHeader } from '../../../components/page-header';
import { notificationKeys, notificationsApi, notificationsQuery, type Notification } from '../api';
import { NotificationItem } from '../components/notification-item';

type Show = 'all' | 'unread';

/** The portal inbox: what was published for me and what the CERT wants me to know, newest first. */
export function InboxPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [show, setShow] = useState<Show>('all');
  const query = useInfiniteQuery(notificationsQuery(show === 'unread'));
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const unread = query.data?.pages[0]?.unread ?? 0;

  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  const markOne = useMutation({ mutationFn: notificationsApi.markOneRead, onSuccess: refresh });
  const markAll = useMutation({ mutationFn: notificationsApi.markAllRead, onSuccess: refresh });

  const open = (notification: Notification, path: string) => {
    if (notification.readAt === null) markOne.mutate(notification.id);
    // The link is a path inside this app (checked by inAppPath) that the route table resolves.
    void navigate({ href: path });
  };

  return (
    <>
      <PageHeader
        title={t('inbox.title')}
        description={t('inbox.unreadCount', { count: unread })}
        actions={
          <Button variant="default" leftSection={<IconChecks size={16} aria-hidden />} onClick={() => markAll.mutate()} loading={markAll.isPending} disabled={unread === 0} data-testid="mark-all-read">
            {t('inbox.markAllRead')}
          </Button>
        }
      />
      <SegmentedControl
        mb="md"
        value={show}
        onChange={(value) => setShow(value === 'unread' ? 'unread' : 'all')}
        data={[
          { value: 'all', label: t('inbox.showAll') },
          { value: 'unread', label: t('inbox.showUnread') },
        ]}
        aria-label={t('inbox.show')}
      />
      <ErrorAlert error={query.error ?? markOne.error ?? markAll.error} />
      {query.isPending ? <Text size="sm">{t('common.loading')}</Text> : null}
      {query.isSuccess && items.length === 0 ? (
        <Text c="dimmed" data-testid="inbox-empty">
          {show === 'unread' ? t('inbox.noneUnread') : t('inbox.empty')}
        </Text>
      ) : null}
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('inbox.title')} data-testid="notifications">
        {items.map((notification) => (
          <NotificationItem
            key={notification.id}
            notification={notification}
            onOpen={open}
            onMarkRead={(n) => markOne.mutate(n.id)}
            marking={markOne.isPending && markOne.variables === notification.id}
          />
        ))}
      </Stack>
      <Group justify="center">
        <LoadMoreButton hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </Group>
    </>
  );
}
