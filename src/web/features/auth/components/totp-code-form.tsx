import { useState, type FormEvent, type ReactNode } from 'react';
import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';

interface TotpCodeFormProps {
  onSubmit: (code: string) => void;
  onBack: () => void;
  pending: boolean;
  error: unknown;
  /** Another way to pass the second factor (a passkey), shown between the form and "back". */
  alternative?: ReactNode;
}

/** Second factor at login: a 6-digit authenticator code or one of the recovery codes. */
export function TotpCodeForm({ onSubmit, onBack, pending, error, alternative }: TotpCodeFormProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(code.trim());
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('login.totpTitle')}>
      <Stack gap="sm">
        <Text size="sm">{t('login.totpHelp')}</Text>
        <TextInput
          label={t('login.code')}
          description={t('login.codeDescription')}
          name="code"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          autoFocus
        />
        <ErrorAlert error={error} />
        <Button type="submit" loading={pending} fullWidth disabled={code.trim() === ''}>
          {t('login.verify')}
        </Button>
        {alternative}
        <Anchor component="button" type="button" size="sm" onClick={onBack}>
          {t('login.back')}
        </Anchor>
      </Stack>
    </form>
  );
}
