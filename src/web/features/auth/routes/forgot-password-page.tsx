import { useState, type FormEvent } from 'react';
import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { authApi } from '../api';
import { AuthLayout } from '../components/auth-layout';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const mutation = useMutation({ mutationFn: authApi.requestPasswordReset });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(email.trim());
  };

  return (
    <AuthLayout heading={t('forgotPassword.title')}>
      <Stack gap="sm">
        {mutation.isSuccess ? (
          // The server answers the same for unknown addresses, so this message must too.
          <Alert color="green" variant="light" role="status">
            {t('forgotPassword.sent')}
          </Alert>
        ) : (
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Text size="sm">{t('forgotPassword.help')}</Text>
              <TextInput
                label={t('login.email')}
                name="email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
                autoFocus
              />
              <ErrorAlert error={mutation.error} />
              <Button type="submit" loading={mutation.isPending} disabled={email.trim() === ''} fullWidth>
                {t('forgotPassword.submit')}
              </Button>
            </Stack>
          </form>
        )}
        <RouterAnchor to="/login" search={{}} size="sm">
          {t('login.back')}
        </RouterAnchor>
      </Stack>
    </AuthLayout>
  );
}
