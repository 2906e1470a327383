import { useState, type FormEvent } from 'react';
import { Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert';
import { QrCodeImage } from './qr-code-image';

interface TotpEnrolmentProps {
  secret: string;
  otpauthUrl: string;
  onSubmit: (code: string) => void;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
}

/** Second step of setting up an authenticator app: scan (or type) the secret, confirm a code. */
export function TotpEnrolment({
  secret,
  otpauthUrl,
  onSubmit,
  pending,
  error,
  onCancel,
}: TotpEnrolmentProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(code.replace(/\s+/g, ''));
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('totp.scanHelp')}</Text>
        <Group align="flex-start" gap="lg" wrap="wrap">
          <QrCodeImage value={otpauthUrl} alt={t('totp.qrAlt')} />
          <Stack gap={4} maw={260}>
            <Text size="sm" fw={500}>
              {t('totp.secretLabel')}
            </Text>
            <Code fz="sm" data-testid="totp-secret" style={{ wordBreak: 'break-all', userSelect: 'all' }}>
              {secret}
            </Code>
            <Text size="xs" c="dimmed">
              {t('totp.secretHelp')}
            </Text>
          </Stack>
        </Group>
        <TextInput
          label={t('totp.codeLabel')}
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          data-autofocus
        />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={pending} disabled={code.trim().length < 6}>
            {t('totp.enable')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
