import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { useReview, type Indicator } from '../api';

/** For the CERT: share a submitted or warninglisted indicator with the network, or refuse it. */
export function ReviewPanel({ indicator }: { indicator: Indicator }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const review = useReview(indicator.id);
  const decide = (decision: 'approve' | 'reject') =>
    review.mutate(
      { decision, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          setReason('');
          notifications.show({ color: 'green', message: t(decision === 'approve' ? 'zdn.review.shared' : 'zdn.review.refused') });
        },
      },
    );

  return (
    <Paper withBorder p="sm" mb="md" component="section" aria-labelledby="review-title" data-testid="review-panel">
      <Stack gap="xs">
        <Title order={2} size="h5" id="review-title">
          {t('zdn.review.title')}
        </Title>
        <Text size="sm">{indicator.status === 'held' ? t('zdn.review.explainHeld') : t('zdn.review.explainPending')}</Text>
        <TextInput
          label={t('zdn.review.reason')}
          description={t('common.optional')}
          name="reason"
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Group gap="xs">
          <Button
            leftSection={<IconCheck size={16} aria-hidden />}
            onClick={() => decide('approve')}
            loading={review.isPending && review.variables?.decision === 'approve'}
            disabled={review.isPending}
            data-testid="review-share"
          >
            {t('zdn.review.share')}
          </Button>
          <Button
            variant="default"
            color="red"
            leftSection={<IconX size={16} aria-hidden />}
            onClick={() => decide('reject')}
            loading={review.isPending && review.variables?.decision === 'reject'}
            disabled={review.isPending}
            data-testid="review-refuse"
          >
            {t('zdn.review.refuse')}
          </Button>
        </Group>
        <ErrorAlert error={review.error} />
      </Stack>
    </Paper>
  );
}
