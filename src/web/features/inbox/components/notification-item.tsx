import type { MouseEvent } from 'react';
import { Anchor, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { inAppPath, type Notification } from '../api';

interface NotificationItemProps {
  notification: Notification;
  onOpen: (notification: Notification, path: string) => void;
  onMarkRead: (notification: Notification) => void;
  marking: boolean;
}

/** Modified clicks (new tab, new window) are left to the browser, as for any link. */
function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function NotificationItem({ notification, onOpen, onMarkRead, marking }: NotificationItemProps) {
  const { t } = useTranslation();
  const unread = notification.readAt === null;
  const path = inAppPath(notification.link);
  return (
    <Paper component="li" withBorder p="sm" bg={unread ? 'blue.0' : undefined} data-testid="notification" data-unread={unread}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            {unread ? (
              <Badge size="xs" color="blue" variant="filled" component="span">
                {t('inbox.new')}
              </Badge>
            ) : null}
            {path ? (
              <Anchor
                href={path}
                fw={unread ? 700 : 500}
                size="sm"
                onClick={(event) => {
                  if (!isPlainClick(event)) return;
                  event.preventDefault();
                  onOpen(notification, path);
                }}
              >
                {notification.title}
              </Anchor>
            ) : (
              <Text fw={unread ? 700 : 500} size="sm">
                {notification.title}
              </Text>
            )}
          </Group>
          {notification.body ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {notification.body}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            <DateTime value={notification.createdAt} />
          </Text>
        </Stack>
        {unread ? (
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconCheck size={12} aria-hidden />}
            onClick={() => onMarkRead(notification)}
            loading={marking}
            aria-label={t('inbox.markReadNamed', { title: notification.title })}
          >
            {t('inbox.markRead')}
          </Button>
        ) : null}
      </Group>
    </Paper>
  );
}
