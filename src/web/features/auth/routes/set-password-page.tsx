import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';
import { authApi } from '../api';
import { AuthLayout } from '../components/auth-layout';

const routeApi = getRouteApi('/set-password');

/** Target of the invitation and password-reset e-mails: `/set-password?token=…`. */
export function SetPasswordPage() {
  const { t } = useTranslation();
  const { token } = routeApi.useSearch();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const mutation = useMutation({
    mutationFn: () => authApi.completePasswordLink(token ?? '', password),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== repeat);
    if (password === repeat) mutation.mutate();
  };

  if (mutation.isSuccess) {
    return (
      <AuthLayout heading={t('setPassword.title')}>
        <Stack gap="sm">
          <Alert color="green" variant="light" role="status">
            {t('setPassword.done')}
          </Alert>
          <RouterAnchor to="/login" search={{}}>
            {t('setPassword.toLogin')}
          </RouterAnchor>
        </Stack>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout heading={t('setPassword.title')}>
      {token ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">{t('setPassword.help')}</Text>
            <PasswordInput
              label={t('profile.password.new')}
              name="newPassword"
              autoComplete="new-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              autoFocus
            />
            <PasswordInput
              label={t('profile.password.confirm')}
              name="confirmPassword"
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(event) => setRepeat(event.currentTarget.value)}
              error={mismatch ? t('profile.password.mismatch') : undefined}
            />
            <ErrorAlert error={mutation.error} />
            <Button type="submit" loading={mutation.isPending} disabled={!password || !repeat} fullWidth>
              {t('setPassword.submit')}
            </Button>
          </Stack>
        </form>
      ) : (
        <Alert color="red" variant="light" role="alert">
          {t('setPassword.missingToken')}
        </Alert>
      )}
    </AuthLayout>
  );
}
