import { useEffect } from 'react';
import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DateTime } from '../../components/date-time';
import { ErrorAlert } from '../../components/error-alert';
import { chatKeys, chatListQuery, pickUpChat, type Chat, type ChatState } from './api';
import { useChatT } from './i18n';

/**
 * Keeps chat lists fresh: the server's event stream says 'chat.queue' (CERT) or 'chat.state' (the
 * organisation) with ids only, and the lists are fetched again through the access rules.
 */
function useLiveChats(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    source.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data === 'string' && /"type":"chat\.(queue|state)"/.test(event.data)) void queryClient.invalidateQueries({ queryKey: chatKeys.all });
    };
    return () => source.close();
  }, [queryClient]);
}

function Row({ chat, pickUp }: { chat: Chat; pickUp: boolean }) {
  const t = useChatT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const open = () => void navigate({ to: '/chat/$id', params: { id: chat.id } });
  return (
    <Paper withBorder p="sm" data-testid="chat-row">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={2}>
          <Text fw={600}>
            {chat.reference} · {chat.subject}
          </Text>
          <Text size="xs" c="dimmed">
            {chat.organisationName} · {chat.asker?.name ?? '—'} · <DateTime value={chat.createdAt} />
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Badge color={chat.chatState === 'active' ? 'green' : chat.chatState === 'waiting' ? 'yellow' : 'gray'}>{t(`state.${chat.chatState}`)}</Badge>
          {pickUp ? (
            <Button size="xs" onClick={() => void pickUpChat(chat.id).then(() => (void queryClient.invalidateQueries({ queryKey: chatKeys.all }), open()))}>
              {t('pickUp')}
            </Button>
          ) : (
            <Button size="xs" variant="default" onClick={open}>
              {t('open')}
            </Button>
          )}
        </Group>
      </Group>
    </Paper>
  );
}

/** A list of chats, live. `pickUp` makes it the analysts' queue of waiting chats. */
export function ChatList({ state, title, pickUp = false }: { state?: ChatState; title: string; pickUp?: boolean }) {
  const t = useChatT();
  useLiveChats();
  const query = useQuery(chatListQuery(state));
  return (
    <Stack gap="xs" data-testid={pickUp ? 'chat-queue' : 'chat-list'}>
      <Text fw={600}>{title}</Text>
      {query.error && <ErrorAlert error={query.error} />}
      {query.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {pickUp ? t('queueEmpty') : t('none')}
        </Text>
      )}
      {query.data?.map((c) => (
        <Row key={c.id} chat={c} pickUp={pickUp} />
      ))}
    </Stack>
  );
}

/** The analysts' queue of waiting chats. */
export function ChatQueue() {
  const t = useChatT();
  return <ChatList state="waiting" title={t('queue')} pickUp />;
}
