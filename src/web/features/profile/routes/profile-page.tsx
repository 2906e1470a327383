import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/page-header';
import { useCurrentUser } from '../../auth/use-current-user';
import { LanguageSection } from '../components/language-section';
import { PasskeysSection } from '../components/passkeys-section';
import { PasswordSection } from '../components/password-section';
import { SessionsSection } from '../components/sessions-section';
import { TotpSection } from '../components/totp-section';

function AccountSection() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const rows = [
    { label: t('users.fields.name'), value: user.name },
    { label: t('users.fields.email'), value: user.email },
    { label: t('users.fields.role'), value: t(`roles.${user.role}`) },
    { label: t('users.fields.organisation'), value: user.organisationName },
  ];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="account-heading">
      <Title order={2} size="h5" mb="sm" id="account-heading">
        {t('profile.account')}
      </Title>
      <Stack gap={6} component="dl" m={0}>
        {rows.map((row) => (
          <div key={row.label}>
            <Text component="dt" size="xs" c="dimmed">
              {row.label}
            </Text>
            <Text component="dd" size="sm" m={0}>
              {row.value}
            </Text>
          </div>
        ))}
      </Stack>
    </Paper>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.profile')} />
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <AccountSection />
          <LanguageSection />
          <PasswordSection />
          <TotpSection />
        </SimpleGrid>
        <PasskeysSection />
        <SessionsSection />
      </Stack>
    </>
  );
}
