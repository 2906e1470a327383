import { assertPasskeysSupported, getPasskeyAssertion } from '../../lib/webauthn';
import { authApi } from './api';

/**
 * Runs a passkey login: passwordless, or the second factor of the login waiting for one. The mode is
 * explicit so a half-finished login in this browser never captures a passwordless attempt.
 */
export async function signInWithPasskey(mode: 'passwordless' | 'second_factor'): Promise<void> {
  // Checked before asking the server, so no challenge is created for a browser that cannot answer.
  assertPasskeysSupported();
  const { challengeId, options } = await authApi.passkeyOptions(mode);
  const credential = await getPasskeyAssertion(options);
  await authApi.passkeyLogin(challengeId, credential);
}
