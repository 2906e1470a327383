import { useState, type FormEvent } from 'react';
import { Badge, Button, Checkbox, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { messagesQuery } from '../api';
import { usePostMessage } from '../mutations';

/** The thread between the CERT and the room; the CERT also keeps internal notes in it, which the room never sees. */
export function MessagesPanel({ caseId, isCert, readOnly }: { caseId: string; isCert: boolean; readOnly: boolean }) {
  const { t } = useTranslation();
  const messages = useQuery(messagesQuery(caseId));
  const post = usePostMessage(caseId);
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    post.mutate({ body: body.trim(), internal: isCert && internal }, { onSuccess: () => setBody('') });
  };
  return (
    <Stack gap="sm" data-testid="messages-panel">
      {messages.isPending ? <LoadingIndicator /> : <ErrorAlert error={messages.error} />}
      {messages.isSuccess && messages.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('incidents.messages.empty')}
        </Text>
      ) : null}
      <Stack gap="xs" component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('incidents.case.tabs.messages')}>
        {(messages.data ?? []).map((m) => (
          <Paper
            key={m.id}
            component="li"
            withBorder
            p="xs"
            bg={m.internal ? 'var(--mantine-color-yellow-0)' : undefined}
            data-testid="message"
            data-internal={m.internal}
            ml={m.fromCert ? 0 : 'xl'}
            mr={m.fromCert ? 'xl' : 0}
          >
            <Group gap="xs" mb={4}>
              <Text size="sm" fw={500}>
                {m.author ?? '—'}
              </Text>
              <Badge size="xs" variant="light" color={m.fromCert ? 'blue' : 'teal'} component="span">
                {m.fromCert ? t('incidents.messages.fromCert') : t('incidents.messages.fromRoom')}
              </Badge>
              {m.internal ? (
                <Badge size="xs" variant="light" color="yellow" component="span" data-testid="internal-note">
                  {t('incidents.messages.internalNote')}
                </Badge>
              ) : null}
              <Text size="xs" c="dimmed">
                <DateTime value={m.createdAt} />
              </Text>
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="message-body">
              {m.body}
            </Text>
          </Paper>
        ))}
      </Stack>
      {readOnly ? null : (
        <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-label={t('incidents.messages.formLabel')} data-testid="message-form">
          <Stack gap="xs">
            <Textarea
              label={t('incidents.messages.write')}
              name="body"
              autosize
              minRows={3}
              maxRows={12}
              maxLength={20000}
              value={body}
              onChange={(event) => setBody(event.currentTarget.value)}
            />
            <Group justify="space-between">
              {isCert ? (
                <Checkbox
                  label={t('incidents.messages.internal')}
                  name="internal"
                  checked={internal}
                  onChange={(event) => setInternal(event.currentTarget.checked)}
                />
              ) : (
                <span />
              )}
              <Button type="submit" leftSection={<IconSend size={14} aria-hidden />} loading={post.isPending} disabled={!body.trim()}>
                {internal && isCert ? t('incidents.messages.sendNote') : t('incidents.messages.send')}
              </Button>
            </Group>
            <ErrorAlert error={post.error} />
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
