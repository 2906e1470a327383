import { useState, type FormEvent } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RouterAnchor } from '../../../components/router-links';

interface CredentialsFormProps {
  onSubmit: (email: string, password: string) => void;
  pending: boolean;
  error: unknown;
}

export function CredentialsForm({ onSubmit, pending, error }: CredentialsFormProps) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(email.trim(), password);
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('login.formLabel')}>
      <Stack gap="sm">
        <TextInput
          label={t('login.email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          data-autofocus
          autoFocus
        />
        <PasswordInput
          label={t('login.password')}
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
        />
        <ErrorAlert error={error} />
        <Button type="submit" loading={pending} fullWidth>
          {t('login.submit')}
        </Button>
        <RouterAnchor to="/forgot-password" size="sm">
          {t('login.forgot')}
        </RouterAnchor>
      </Stack>
    </form>
  );
}
