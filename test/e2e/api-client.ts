import { currentTotp } from '../../src/modules/identity/totp.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo-data.ts';

/**
 * A logged-in HTTP client for a running server, as a script or an integrator would use the API:
 * session cookie plus CSRF header. CERT staff enrol TOTP on their first login; the secret is kept.
 */
export interface ApiSession {
  email: string;
  totpSecret: string | null;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string; json<T = Record<string, unknown>>(): T; headers: Headers }>;
}

export async function apiLogin(baseUrl: string, email: string, known: { totpSecret?: string | null } = {}): Promise<ApiSession> {
  let cookie = '';
  let csrf = '';
  let totpSecret = known.totpSecret ?? null;
  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(cookie && { cookie }), ...(csrf && { 'x-csrf-token': csrf }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    const m = setCookie ? /(wp_session|__Host-wp_session)=([^;]+)/.exec(setCookie) : null;
    if (m) cookie = `${m[1]}=${m[2]}`;
    const text = await res.text();
    return { status: res.status, body: text, headers: res.headers, json: <T>() => JSON.parse(text) as T };
  };
  const login = await raw('POST', '/api/v1/auth/login', { email, password: DEMO_PASSWORD });
  if (login.status !== 200) throw new Error(`login ${email}: ${login.status} ${login.body}`);
  let state = login.json<{ status: string; csrfToken: string }>();
  csrf = state.csrfToken;
  if (state.status === 'totp_setup_required') {
    const setup = await raw('POST', '/api/v1/auth/totp/setup');
    totpSecret = setup.json<{ secret: string }>().secret;
    const enabled = await raw('POST', '/api/v1/auth/totp/enable', { code: currentTotp(totpSecret) });
    state = enabled.json<{ status: string; csrfToken: string }>();
  } else if (state.status === 'totp_required') {
    if (!totpSecret) throw new Error(`${email} needs a TOTP code and no secret is known`);
    let second = await raw('POST', '/api/v1/auth/totp', { code: currentTotp(totpSecret) });
    if (second.status !== 200) {
      // A code is good once per 30-second step: when the browser just used it, wait for the next step.
      await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
      second = await raw('POST', '/api/v1/auth/totp', { code: currentTotp(totpSecret) });
    }
    state = second.json<{ status: string; csrfToken: string }>();
  }
  if (state.status !== 'ok') throw new Error(`login ${email} did not finish: ${JSON.stringify(state)}`);
  csrf = state.csrfToken;
  return { email, totpSecret, call: raw };
}
