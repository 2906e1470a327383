import { useState } from 'react';
import { Button, Group, List, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../components/date-time';
import { ErrorAlert } from '../../../components/error-alert';
import { alertResponseKeys, alertResponsesApi, myResponsesQuery, RESPONSE_STATUSES, type AlertResponseStatus } from '../api';
import { RESPONSE_ICONS, ResponseBadge } from './response-badge';

const COMMENT_MAX = 2000;

/**
 * A participant answers an operational alert for their organisation: received, not affected,
 * mitigating or patched, with an optional comment. Every answer is kept; the latest counts.
 */
export function RespondPanel({ productId, canRespond }: { productId: string; canRespond: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mine = useQuery(myResponsesQuery(productId));
  const [comment, setComment] = useState('');
  const respond = useMutation({
    mutationFn: (status: AlertResponseStatus) => alertResponsesApi.respond(productId, { status, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    onSuccess: async (result) => {
      setComment('');
      notifications.show({ color: 'green', message: t('alertResponses.respond.recorded', { status: t(`alertResponses.status.${result.status}`) }) });
      await queryClient.invalidateQueries({ queryKey: alertResponseKeys.all });
    },
  });
  // Newest first: the first is the organisation's current answer.
  const answers = [...(mine.data?.responses ?? [])].sort((a, b) => b.respondedAt.localeCompare(a.respondedAt));
  const latest = answers[0];

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="respond-title" data-testid="respond-panel">
      <Stack gap="xs">
        <Title order={2} size="h5" id="respond-title">
          {t('alertResponses.respond.title')}
        </Title>
        <ErrorAlert error={mine.error} />
        {latest ? (
          <Group gap="xs" data-testid="my-latest-response">
            <Text size="sm">{t('alertResponses.respond.current')}</Text>
            <ResponseBadge status={latest.status} />
            <Text size="xs" c="dimmed">
              <DateTime value={latest.respondedAt} />
            </Text>
          </Group>
        ) : mine.data ? (
          <Text size="sm">{mine.data.recipient ? t('alertResponses.respond.askedToAnswer') : t('alertResponses.respond.mayAnswer')}</Text>
        ) : null}
        {canRespond ? (
          <>
            <Textarea
              label={t('alertResponses.respond.comment')}
              description={t('common.optional')}
              name="comment"
              autosize
              minRows={2}
              maxRows={6}
              maxLength={COMMENT_MAX}
              value={comment}
              onChange={(event) => setComment(event.currentTarget.value)}
            />
            <Group gap="xs" role="group" aria-label={t('alertResponses.respond.answers')}>
              {RESPONSE_STATUSES.map((status) => {
                const Icon = RESPONSE_ICONS[status];
                return (
                  <Button
                    key={status}
                    size="sm"
                    variant={latest?.status === status ? 'filled' : 'default'}
                    leftSection={<Icon size={16} aria-hidden />}
                    onClick={() => respond.mutate(status)}
                    loading={respond.isPending && respond.variables === status}
                    disabled={respond.isPending}
                    data-testid={`respond-${status}`}
                  >
                    {t(`alertResponses.status.${status}`)}
                  </Button>
                );
              })}
            </Group>
            <ErrorAlert error={respond.error} />
          </>
        ) : null}
        {answers.length > 0 ? (
          <List size="sm" spacing={2} aria-label={t('alertResponses.respond.history')}>
            {answers.map((answer) => (
              <List.Item key={answer.id}>
                <DateTime value={answer.respondedAt} /> · {t(`alertResponses.status.${answer.status}`)} ({t(`alertResponses.via.${answer.via}`)})
                {answer.comment ? `: ${answer.comment}` : ''}
              </List.Item>
            ))}
          </List>
        ) : null}
      </Stack>
    </Paper>
  );
}
