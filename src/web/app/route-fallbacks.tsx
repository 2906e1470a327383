import { Box, Button, Center, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/error-alert';
import { LoadingIndicator } from '../components/loading-indicator';
import { RouterButton } from '../components/router-links';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('errors.notFoundTitle')} · Wachtpost`);
  return (
    <Box component="main" p="xl">
      <Center>
        <Stack align="center" gap="sm">
          <Title order={1} size="h2">
            {t('errors.notFoundTitle')}
          </Title>
          <Text c="dimmed">{t('errors.notFoundText')}</Text>
          <RouterButton to="/" variant="default">
            {t('errors.backHome')}
          </RouterButton>
        </Stack>
      </Center>
    </Box>
  );
}

export function RouteErrorPage({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" p="md">
      <Title order={1} size="h3">
        {t('errors.pageFailed')}
      </Title>
      <ErrorAlert error={error} />
      <div>
        <Button variant="default" onClick={reset}>
          {t('common.retry')}
        </Button>
      </div>
    </Stack>
  );
}

export function RoutePending() {
  return (
    <Box p="md">
      <LoadingIndicator />
    </Box>
  );
}
