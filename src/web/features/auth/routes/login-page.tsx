import { useState } from 'react';
import { Divider, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { RecoveryCodes } from '../../../components/recovery-codes';
import { TotpEnrolment } from '../../../components/totp-enrolment';
import { LoadingIndicator } from '../../../components/loading-indicator';
import { authApi, meQueryOptions, type LoginResult, type TotpSetup } from '../api';
import { AuthLayout } from '../components/auth-layout';
import { CredentialsForm } from '../components/credentials-form';
import { PasskeySignInButton } from '../components/passkey-sign-in-button';
import { TotpCodeForm } from '../components/totp-code-form';

type Step =
  | { kind: 'credentials' }
  | { kind: 'totp' }
  | { kind: 'setup'; setup: TotpSetup | null }
  | { kind: 'recovery'; codes: string[] };

const routeApi = getRouteApi('/login');

export function LoginPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const router = useRouter();
  const search = routeApi.useSearch();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });

  const finish = async () => {
    // /auth/me also hands out the CSRF token that every later POST needs.
    await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
    router.history.push(search.redirect ?? '/');
  };

  const setupMutation = useMutation({
    mutationFn: authApi.setupTotp,
    onSuccess: (setup) => setStep({ kind: 'setup', setup }),
  });

  const handleResult = (result: LoginResult) => {
    if (result.status === 'ok') return finish();
    if (result.status === 'totp_required') return setStep({ kind: 'totp' });
    setStep({ kind: 'setup', setup: null });
    setupMutation.mutate();
  };

  const loginMutation = useMutation({
    mutationFn: (input: { email: string; password: string }) => authApi.login(input.email, input.password),
    onSuccess: handleResult,
  });
  const totpMutation = useMutation({ mutationFn: authApi.submitTotp, onSuccess: handleResult });
  const enableMutation = useMutation({
    mutationFn: authApi.enableTotp,
    onSuccess: (result) => setStep({ kind: 'recovery', codes: result.recoveryCodes }),
  });
  const finishMutation = useMutation({ mutationFn: finish });

  const back = () => {
    loginMutation.reset();
    totpMutation.reset();
    setStep({ kind: 'credentials' });
  };

  const heading =
    step.kind === 'totp'
      ? t('login.totpTitle')
      : step.kind === 'setup'
        ? t('login.setupTitle')
        : step.kind === 'recovery'
          ? t('totp.recoveryCodesTitle')
          : t('login.title');

  return (
    <AuthLayout heading={heading} wide={step.kind === 'setup'}>
      {step.kind === 'credentials' ? (
        <Stack gap="sm">
          <CredentialsForm
            onSubmit={(email, password) => loginMutation.mutate({ email, password })}
            pending={loginMutation.isPending || finishMutation.isPending}
            error={loginMutation.error ?? finishMutation.error}
          />
          <Divider label={t('passkeys.login.or')} labelPosition="center" />
          <PasskeySignInButton
            label={t('passkeys.login.passwordless')}
            mode="passwordless"
            onSignedIn={finish}
            disabled={loginMutation.isPending}
          />
        </Stack>
      ) : null}
      {step.kind === 'totp' ? (
        <TotpCodeForm
          onSubmit={(code) => totpMutation.mutate(code)}
          onBack={back}
          pending={totpMutation.isPending}
          error={totpMutation.error ?? finishMutation.error}
          alternative={
            <>
              <Divider label={t('passkeys.login.or')} labelPosition="center" />
              <PasskeySignInButton
                label={t('passkeys.login.secondFactor')}
                mode="second_factor"
                onSignedIn={finish}
                disabled={totpMutation.isPending}
              />
            </>
          }
        />
      ) : null}
      {step.kind === 'setup' ? (
        <Stack gap="sm">
          <Text size="sm">{t('login.setupHelp')}</Text>
          <ErrorAlert error={setupMutation.error} />
          {step.setup ? (
            <TotpEnrolment
              secret={step.setup.secret}
              otpauthUrl={step.setup.otpauthUrl}
              onSubmit={(code) => enableMutation.mutate(code)}
              pending={enableMutation.isPending}
              error={enableMutation.error}
              onCancel={back}
            />
          ) : setupMutation.isPending ? (
            <LoadingIndicator />
          ) : null}
        </Stack>
      ) : null}
      {step.kind === 'recovery' ? (
        <Stack gap="sm">
          <RecoveryCodes codes={step.codes} onContinue={() => finishMutation.mutate()} />
          <ErrorAlert error={finishMutation.error} />
        </Stack>
      ) : null}
    </AuthLayout>
  );
}
