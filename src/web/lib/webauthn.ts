// Browser side of the passkey (WebAuthn) ceremonies. @simplewebauthn/browser does the encoding;
// this module turns the many ways a ceremony can fail into a few reasons the UI can explain.
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  type WebAuthnErrorCode,
} from '@simplewebauthn/browser';

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
};

export type PasskeyFailure = 'unsupported' | 'cancelled' | 'exists' | 'domain' | 'failed';

/** A ceremony that failed in the browser (not on the server); `reason` picks the explanation. */
export class PasskeyCeremonyError extends Error {
  readonly reason: PasskeyFailure;

  constructor(reason: PasskeyFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PasskeyCeremonyError';
    this.reason = reason;
  }
}

export function isPasskeyCeremonyError(error: unknown): error is PasskeyCeremonyError {
  return error instanceof PasskeyCeremonyError;
}

export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** Throws before anything is requested from the server when the browser cannot do WebAuthn. */
export function assertPasskeysSupported(): void {
  if (!passkeysSupported()) {
    throw new PasskeyCeremonyError('unsupported', 'This browser does not support passkeys (WebAuthn).');
  }
}

// The library's codes with a reason of their own; every other code is a plain failure.
const REASON_BY_CODE: Partial<Record<WebAuthnErrorCode, PasskeyFailure>> = {
  ERROR_CEREMONY_ABORTED: 'cancelled',
  ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED: 'exists',
  ERROR_INVALID_DOMAIN: 'domain',
  ERROR_INVALID_RP_ID: 'domain',
};

function reasonOf(error: unknown): PasskeyFailure {
  if (error instanceof WebAuthnError) {
    // The library passes some browser errors through unchanged, with the original as cause.
    if (error.code === 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY') return reasonOf(error.cause);
    return REASON_BY_CODE[error.code] ?? 'failed';
  }
  // NotAllowedError covers both "the person closed the prompt" and "it timed out".
  if (error instanceof DOMException) {
    if (error.name === 'NotAllowedError' || error.name === 'AbortError') return 'cancelled';
    if (error.name === 'SecurityError') return 'domain';
    if (error.name === 'InvalidStateError') return 'exists';
  }
  return 'failed';
}

/** Classifies a failed ceremony; exported for the tests. */
export function toCeremonyError(error: unknown): PasskeyCeremonyError {
  const message = error instanceof Error && error.message ? error.message : 'The passkey ceremony failed.';
  return new PasskeyCeremonyError(reasonOf(error), message, { cause: error });
}

export async function createPasskeyCredential(
  optionsJSON: PublicKeyCredentialCreationOptionsJSON,
): Promise<RegistrationResponseJSON> {
  assertPasskeysSupported();
  try {
    return await startRegistration({ optionsJSON });
  } catch (error) {
    throw toCeremonyError(error);
  }
}

export async function getPasskeyAssertion(
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
): Promise<AuthenticationResponseJSON> {
  assertPasskeysSupported();
  try {
    return await startAuthentication({ optionsJSON });
  } catch (error) {
    throw toCeremonyError(error);
  }
}
