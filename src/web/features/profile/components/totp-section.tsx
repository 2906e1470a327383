import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorAlert } from '../../../components/error-alert';
import { RecoveryCodes } from '../../../components/recovery-codes';
import { TotpEnrolment } from '../../../components/totp-enrolment';
import { meQueryKey, type TotpSetup } from '../../auth/api';
import { useCurrentUser } from '../../auth/use-current-user';
import { profileApi } from '../api';

type State = { kind: 'idle' } | { kind: 'enrolling'; setup: TotpSetup } | { kind: 'codes'; codes: string[] };

export function TotpSection() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>({ kind: 'idle' });

  const setup = useMutation({
    mutationFn: profileApi.setupTotp,
    onSuccess: (data) => setState({ kind: 'enrolling', setup: data }),
  });
  const enable = useMutation({
    mutationFn: profileApi.enableTotp,
    onSuccess: async (data) => {
      setState({ kind: 'codes', codes: data.recoveryCodes });
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
  const regenerate = useMutation({
    mutationFn: profileApi.regenerateRecoveryCodes,
    onSuccess: (data) => setState({ kind: 'codes', codes: data.recoveryCodes }),
  });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="totp-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id="totp-heading">
          {t('profile.totp.title')}
        </Title>
        <Badge color={user.totpEnabled ? 'green' : 'orange'} variant="light" data-testid="totp-status">
          {user.totpEnabled ? t('profile.totp.enabled') : t('profile.totp.disabled')}
        </Badge>
      </Group>
      <Stack gap="sm">
        {state.kind === 'idle' ? (
          <>
            <Text size="sm">
              {user.totpEnabled ? t('profile.totp.enabledHelp') : t('profile.totp.disabledHelp')}
            </Text>
            <Group>
              {user.totpEnabled ? (
                <ConfirmButton
                  variant="default"
                  message={t('profile.totp.regenerateConfirm')}
                  confirmLabel={t('profile.totp.regenerate')}
                  onConfirm={() => regenerate.mutate()}
                  loading={regenerate.isPending}
                  data-testid="regenerate-recovery-codes"
                >
                  {t('profile.totp.regenerate')}
                </ConfirmButton>
              ) : (
                <Button onClick={() => setup.mutate()} loading={setup.isPending} data-testid="totp-setup">
                  {t('profile.totp.setUp')}
                </Button>
              )}
            </Group>
            <ErrorAlert error={setup.error ?? regenerate.error} />
          </>
        ) : null}
        {state.kind === 'enrolling' ? (
          <TotpEnrolment
            secret={state.setup.secret}
            otpauthUrl={state.setup.otpauthUrl}
            onSubmit={(code) => enable.mutate(code)}
            pending={enable.isPending}
            error={enable.error}
            onCancel={() => setState({ kind: 'idle' })}
          />
        ) : null}
        {state.kind === 'codes' ? (
          <RecoveryCodes
            codes={state.codes}
            onContinue={() => setState({ kind: 'idle' })}
            continueLabel={t('common.close')}
          />
        ) : null}
      </Stack>
    </Paper>
  );
}
