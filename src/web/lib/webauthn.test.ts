import { describe, expect, it } from 'vitest';
import { WebAuthnError } from '@simplewebauthn/browser';
import { isPasskeyCeremonyError, toCeremonyError } from './webauthn';

function dom(name: string): DOMException {
  return new DOMException(`browser says ${name}`, name);
}

describe('passkey ceremony errors', () => {
  it('tell cancelling (or a timeout) apart from other failures', () => {
    expect(toCeremonyError(dom('NotAllowedError')).reason).toBe('cancelled');
    expect(toCeremonyError(dom('AbortError')).reason).toBe('cancelled');
    const passthrough = new WebAuthnError({
      message: 'x',
      code: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY',
      cause: dom('NotAllowedError'),
    });
    expect(toCeremonyError(passthrough).reason).toBe('cancelled');
    expect(
      toCeremonyError(
        new WebAuthnError({ message: 'x', code: 'ERROR_CEREMONY_ABORTED', cause: dom('AbortError') }),
      ).reason,
    ).toBe('cancelled');
  });

  it('recognise a wrong address and an already registered authenticator', () => {
    expect(
      toCeremonyError(
        new WebAuthnError({ message: 'x', code: 'ERROR_INVALID_RP_ID', cause: dom('SecurityError') }),
      ).reason,
    ).toBe('domain');
    expect(
      toCeremonyError(
        new WebAuthnError({ message: 'x', code: 'ERROR_INVALID_DOMAIN', cause: dom('SecurityError') }),
      ).reason,
    ).toBe('domain');
    expect(
      toCeremonyError(
        new WebAuthnError({
          message: 'x',
          code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
          cause: dom('InvalidStateError'),
        }),
      ).reason,
    ).toBe('exists');
  });

  it('keep the browser message for anything else', () => {
    const error = toCeremonyError(
      new WebAuthnError({
        message: 'no algorithm',
        code: 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG',
        cause: dom('NotSupportedError'),
      }),
    );
    expect(isPasskeyCeremonyError(error)).toBe(true);
    expect(error.reason).toBe('failed');
    expect(error.message).toBe('no algorithm');
    expect(toCeremonyError('odd').reason).toBe('failed');
  });
});
