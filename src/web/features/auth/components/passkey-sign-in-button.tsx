import { Button, Stack } from '@mantine/core';
import { IconFingerprint } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { PasskeyErrorAlert } from '../../../components/passkey-error-alert';
import { signInWithPasskey } from '../passkey-login';

interface PasskeySignInButtonProps {
  label: string;
  mode: 'passwordless' | 'second_factor';
  /** Runs after the server accepted the passkey (loads the user and leaves the login page). */
  onSignedIn: () => Promise<void>;
  disabled?: boolean;
}

/** "Sign in with a passkey" (passwordless) or "Use a passkey instead" (second factor). */
export function PasskeySignInButton({ label, mode, onSignedIn, disabled = false }: PasskeySignInButtonProps) {
  const mutation = useMutation({
    mutationFn: async () => {
      await signInWithPasskey(mode);
      await onSignedIn();
    },
  });
  return (
    <Stack gap="sm">
      <Button
        variant="default"
        fullWidth
        leftSection={<IconFingerprint size={16} aria-hidden />}
        loading={mutation.isPending}
        disabled={disabled}
        onClick={() => mutation.mutate()}
        data-testid="passkey-sign-in"
      >
        {label}
      </Button>
      <PasskeyErrorAlert error={mutation.error} />
    </Stack>
  );
}
