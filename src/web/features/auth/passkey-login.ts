import { assertPasskeysSupported, getPasskeyAssertion } from '../../lib/webauthn';
import { authApi } from './api';

/**
 * Runs a passkey login: passwordless without a session, or the second factor of a login that is
 * waiting for one (the server decides from the session cookie). Sets the CSRF token on success.
 */
export async function signInWithPasskey(): Promise<void> {
  // Checked before asking the server, so no challenge is created for a browser that cannot answer.
  assertPasskeysSupported();
  const { challengeId, options } = await authApi.passkeyOptions();
  const credential = await getPasskeyAssertion(options);
  await authApi.passkeyLogin(challengeId, credential);
}
