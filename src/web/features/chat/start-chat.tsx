import { useState } from 'react';
import { Button, Paper, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/error-alert';
import { chatKeys, startChat } from './api';
import { useChatT } from './i18n';

/** "Chat with the CERT": a participant user opens a chat; it waits in the CERT's queue. */
export function StartChat({ onStarted }: { onStarted?: (id: string) => void }) {
  const t = useChatT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = () => {
    setBusy(true);
    setError(null);
    startChat({ subject: subject.trim(), ...(body.trim() && { body: body.trim() }) }).then(
      (chat) => {
        setBusy(false);
        void queryClient.invalidateQueries({ queryKey: chatKeys.all });
        if (onStarted) onStarted(chat.id);
        else void navigate({ to: '/chat/$id', params: { id: chat.id } });
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };

  return (
    <Paper withBorder p="md" data-testid="start-chat">
      <Stack gap="sm">
        <Text fw={600}>{t('title')}</Text>
        <Text size="sm" c="dimmed">
          {t('intro')}
        </Text>
        <TextInput
          label={t('subject')}
          required
          maxLength={200}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          data-testid="start-chat-subject"
        />
        <Textarea
          label={t('firstMessage')}
          autosize
          minRows={3}
          maxLength={4000}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          data-testid="start-chat-body"
        />
        {error !== null && <ErrorAlert error={error} />}
        <Button onClick={submit} loading={busy} disabled={subject.trim() === ''} data-testid="start-chat-submit">
          {busy ? t('starting') : t('start')}
        </Button>
      </Stack>
    </Paper>
  );
}
