import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../components/language-switch';

interface AuthLayoutProps {
  /** Heading of the card; also the browser tab title. */
  heading: string;
  wide?: boolean;
  children: ReactNode;
}

/** Centred card for the pages used before signing in (login, set or reset a password). */
export function AuthLayout({ heading, wide = false, children }: AuthLayoutProps) {
  const { t } = useTranslation();
  useDocumentTitle(`${heading} · Wachtpost`);
  return (
    <Box component="main" mih="100vh" bg="gray.0" py="xl">
      <Center>
        <Stack w={wide ? 560 : 400} maw="92vw" gap="md">
          <Group justify="space-between" align="center">
            <Stack gap={0}>
              <Title order={1} size="h2">
                Wachtpost
              </Title>
              <Text size="sm" c="dimmed">
                {t('app.tagline')}
              </Text>
            </Stack>
            <LanguageSwitch />
          </Group>
          <Paper withBorder shadow="sm" p="lg" radius="md">
            <Title order={2} size="h4" mb="sm">
              {heading}
            </Title>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
