import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Button, Group, Paper, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '../../components/confirm-button';
import { DateTime } from '../../components/date-time';
import { ErrorAlert } from '../../components/error-alert';
import { useCurrentUser } from '../auth/use-current-user';
import { can } from '../auth/permissions';
import { chatKeys, endChat, type ChatMessage, type Person } from './api';
import { useChatSocket } from './use-chat-socket';
import { ConvertChat } from './convert-chat';
import { useChatT } from './i18n';

const MAX_CHARS = 4000;

function Presence({ people, me }: { people: Person[]; me: string }) {
  const t = useChatT();
  return (
    <Group gap="xs" data-testid="chat-presence">
      {people.map((p) => (
        <Badge
          key={p.id}
          variant="light"
          color={p.cert ? 'blue' : 'teal'}
          leftSection={
            <span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: 'var(--mantine-color-green-6)' }} />
          }
        >
          {p.name}
          {p.id === me ? ` (${t('you')})` : ''} · {t('online')}
        </Badge>
      ))}
    </Group>
  );
}

function Bubble({ m, mine }: { m: ChatMessage; mine: boolean }) {
  const t = useChatT();
  return (
    <Paper
      withBorder
      p="xs"
      radius="md"
      maw="80%"
      ml={mine ? 'auto' : 0}
      bg={m.kind === 'note' ? 'yellow.0' : mine ? 'blue.0' : undefined}
      data-testid="chat-message"
    >
      <Group gap={6} justify="space-between">
        <Text size="xs" fw={600}>
          {m.author?.name ?? '—'}
          {m.author?.cert ? ` · ${t('cert')}` : ''}
        </Text>
        <Text size="xs" c="dimmed">
          <DateTime value={m.createdAt} />
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {m.body}
      </Text>
    </Paper>
  );
}

/**
 * The secure chat of one request: messages, who is online, "… is typing", the send box and ending
 * the chat; for the CERT the one-step conversions. Mounted by the request page (or /chat/$id).
 */
export function RequestChat({ requestId }: { requestId: string }) {
  const t = useChatT();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const live = useChatSocket(requestId);
  const [draft, setDraft] = useState('');
  const [endError, setEndError] = useState<unknown>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const ended = live.chat?.chatState === 'ended';
  const isCert = can(user.role, 'requests:answer');

  useEffect(() => {
    // A block body: newer browsers return a Promise from scrollIntoView, which React would take for a cleanup.
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [live.messages.length]);

  const submit = () => {
    const body = draft.trim();
    if (!body || body.length > MAX_CHARS) return;
    live.send(body);
    setDraft('');
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };
  const end = () => {
    setEndError(null);
    endChat(requestId).then(
      () => void queryClient.invalidateQueries({ queryKey: chatKeys.all }),
      (err: unknown) => setEndError(err),
    );
  };

  return (
    <Paper withBorder p="md" data-testid="request-chat">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            {live.chat && (
              <Text fw={600}>
                {live.chat.reference} · {live.chat.subject}
              </Text>
            )}
            <Group gap="xs">
              {live.chat && (
                <Badge color={live.chat.chatState === 'active' ? 'green' : live.chat.chatState === 'waiting' ? 'yellow' : 'gray'}>
                  {t(`state.${live.chat.chatState}`)}
                </Badge>
              )}
              {live.connection === 'connecting' && (
                <Text size="xs" c="dimmed">
                  {t('connecting')}
                </Text>
              )}
              {live.connection === 'reconnecting' && (
                <Text size="xs" c="orange" role="status">
                  {t('reconnecting')}
                </Text>
              )}
            </Group>
          </Stack>
          <Group gap="xs">
            {isCert && live.chat && !ended && <ConvertChat requestId={requestId} />}
            {!ended && (
              <ConfirmButton variant="default" color="red" message={t('endConfirm')} confirmLabel={t('end')} onConfirm={end}>
                {t('end')}
              </ConfirmButton>
            )}
          </Group>
        </Group>
        <Presence people={live.presence} me={user.id} />
        {endError !== null && <ErrorAlert error={endError} />}
        <ScrollArea h={380} type="auto" aria-live="polite">
          <Stack gap="xs" p={4}>
            {live.messages.map((m) => (
              <Bubble key={m.id} m={m} mine={m.author?.id === user.id} />
            ))}
            <div ref={bottom} />
          </Stack>
        </ScrollArea>
        <Text size="xs" c="dimmed" h={16} role="status" data-testid="chat-typing">
          {live.typing.map((p) => t('typing', { name: p.name })).join(' ')}
        </Text>
        {live.lastError && live.lastError.code !== 'chat_ended' && (
          <Alert color="red" variant="light" p="xs">
            {t('errors.frame', { message: live.lastError.message })}
          </Alert>
        )}
        {ended ? (
          <Alert color="gray" variant="light">
            {t('ended')}
          </Alert>
        ) : (
          <Group align="flex-end" gap="xs">
            <Textarea
              style={{ flex: 1 }}
              autosize
              minRows={2}
              maxRows={6}
              maxLength={MAX_CHARS}
              placeholder={t('placeholder')}
              aria-label={t('placeholder')}
              value={draft}
              onChange={(e) => {
                setDraft(e.currentTarget.value);
                live.typed();
              }}
              onKeyDown={onKey}
              data-testid="chat-input"
            />
            <Button onClick={submit} disabled={live.connection !== 'open' || draft.trim() === ''} data-testid="chat-send">
              {t('send')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
