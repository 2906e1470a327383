import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface RecoveryCodesProps {
  codes: string[];
  onContinue?: () => void;
  continueLabel?: string;
}

/** Shows freshly issued recovery codes; the server never returns them again. */
export function RecoveryCodes({ codes, onContinue, continueLabel }: RecoveryCodesProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" role="note" title={t('totp.recoveryCodesTitle')}>
        {t('totp.recoveryCodesHelp')}
      </Alert>
      <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
        {codes.map((code) => (
          <Code key={code} fz="sm" data-testid="recovery-code">
            {code}
          </Code>
        ))}
      </SimpleGrid>
      <Group justify="space-between">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('common.copied') : t('totp.copyCodes')}
            </Button>
          )}
        </CopyButton>
        {onContinue ? (
          <Button onClick={onContinue} data-autofocus>
            {continueLabel ?? t('common.continue')}
          </Button>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed">
        {t('totp.recoveryCodesOnce')}
      </Text>
    </Stack>
  );
}
