import { useTranslation } from 'react-i18next';
import { isPasskeyCeremonyError } from '../lib/webauthn';
import { ErrorAlert } from './error-alert';

/**
 * ErrorAlert for passkey actions: failures in the browser (no WebAuthn, cancelled, wrong address)
 * get an explanation in the interface language; server errors keep the server's message.
 */
export function PasskeyErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!isPasskeyCeremonyError(error)) return <ErrorAlert error={error} />;
  const message =
    error.reason === 'failed'
      ? t('passkeys.errors.failed', { message: error.message })
      : t(`passkeys.errors.${error.reason}`);
  return <ErrorAlert error={new Error(message)} />;
}
