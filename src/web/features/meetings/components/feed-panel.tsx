import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CopyField } from '../../../components/copy-field';
import { ErrorAlert } from '../../../components/error-alert';
import { feedTokenQuery } from '../api';
import { useRotateFeedToken } from '../mutations';

/**
 * "Subscribe": the personal calendar feed. The address is a secret shown once, right after it is
 * made; making a new one stops the old one.
 */
export function FeedPanel() {
  const { t } = useTranslation();
  const status = useQuery(feedTokenQuery());
  const rotate = useRotateFeedToken();
  return (
    <Card withBorder mt="xl" padding="md">
      <Stack gap="xs">
        <Title order={2} size="h5">
          {t('meetings.feed.title')}
        </Title>
        <Text size="sm">{t('meetings.feed.intro')}</Text>
        {rotate.data ? (
          <CopyField label={t('meetings.feed.url')} value={rotate.data.url} description={t('meetings.feed.once')} testId="meeting-feed-url" />
        ) : null}
        {!rotate.data && status.data?.active ? (
          <Text size="sm" c="dimmed">
            {t('meetings.feed.active')}
          </Text>
        ) : null}
        <ErrorAlert error={rotate.error ?? status.error} />
        <Button variant="light" w="fit-content" loading={rotate.isPending} onClick={() => rotate.mutate(undefined)}>
          {status.data?.active || rotate.data ? t('meetings.feed.rotate') : t('meetings.feed.create')}
        </Button>
      </Stack>
    </Card>
  );
}
