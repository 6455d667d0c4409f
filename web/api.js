// The same API a LibreChat client uses: the access token lives in memory only, the refresh
// token in the HttpOnly cookie the page never sees. One refresh runs at a time.

let accessToken = null;
let refreshing = null;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `Request failed (${status})`);
    this.status = status;
    this.code = body && body.code;
    this.body = body || {};
  }
}

async function send(method, path, body, withToken) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (withToken && accessToken) headers.authorization = `Bearer ${accessToken}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const type = res.headers.get('content-type') || '';
  const data = type.includes('application/json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { message: data });
  return data;
}

/** Refreshes the session from the cookie; resolves to the user or null when not signed in. */
export function refresh() {
  refreshing ??= send('POST', '/api/auth/refresh')
    .then((data) => {
      // Without a cookie the server answers a plain-text 200, as LibreChat's does.
      if (!data || typeof data !== 'object' || !data.token) {
        accessToken = null;
        return null;
      }
      accessToken = data.token;
      return data.user;
    })
    .catch((error) => {
      accessToken = null;
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** An authenticated call; an expired access token is refreshed once and the call repeated. */
export async function authed(method, path, body) {
  try {
    return await send(method, path, body, true);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (!(await refresh())) throw error;
    return send(method, path, body, true);
  }
}

export const api = {
  config: () => send('GET', '/api/config'),
  /** The user, or `{twoFAPending, tempToken}` when the account asks for its second factor. */
  async login(email, password) {
    const data = await send('POST', '/api/auth/login', { email, password });
    if (data.twoFAPending) return { twoFAPending: true, tempToken: data.tempToken };
    accessToken = data.token;
    return data.user;
  },
  async verifyTemp(tempToken, proof) {
    const data = await send('POST', '/api/auth/2fa/verify-temp', { tempToken, ...proof });
    accessToken = data.token;
    return data.user;
  },
  enableTwoFactor: (proof = {}) => authed('POST', '/api/auth/2fa/enable', proof),
  confirmTwoFactor: (token) => authed('POST', '/api/auth/2fa/confirm', { token }),
  disableTwoFactor: (proof) => authed('POST', '/api/auth/2fa/disable', proof),
  regenerateBackupCodes: (proof) => authed('POST', '/api/auth/2fa/backup/regenerate', proof),
  register: (body) => send('POST', '/api/auth/register', body),
  async logout() {
    try {
      return await send('POST', '/api/auth/logout');
    } finally {
      accessToken = null;
    }
  },
  requestPasswordReset: (email) => send('POST', '/api/auth/requestPasswordReset', { email }),
  resetPassword: (body) => send('POST', '/api/auth/resetPassword', body),
  verifyEmail: (email, token) => send('POST', '/api/user/verify', { email, token }),
  resendVerification: (email) => send('POST', '/api/user/verify/resend', { email }),
  user: () => authed('GET', '/api/user'),
  passkeys: () => authed('GET', '/api/auth/passkeys'),
  passkeyRegistrationOptions: () => authed('POST', '/api/auth/passkeys/register/options', {}),
  registerPasskey: (response, name) => authed('POST', '/api/auth/passkeys/register', { response, name }),
  renamePasskey: (id, name) => authed('PATCH', `/api/auth/passkeys/${encodeURIComponent(id)}`, { name }),
  removePasskey: (id) => authed('DELETE', `/api/auth/passkeys/${encodeURIComponent(id)}`),
  passkeySignInOptions: (email) => send('POST', '/api/auth/passkeys/sign-in/options', email ? { email } : {}),
  async passkeySignIn(response) {
    const data = await send('POST', '/api/auth/passkeys/sign-in', { response });
    accessToken = data.token;
    return data.user;
  },
  passkeySecondFactorOptions: (tempToken) => send('POST', '/api/auth/passkeys/second-factor/options', { tempToken }),
  sessions: () => authed('GET', '/api/auth/sessions'),
  revokeSession: (id) => authed('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`),
};

const query = (params) => {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return q.toString() ? `?${q}` : '';
};
const userPath = (id) => `/api/admin/users/${encodeURIComponent(id)}`;

/** The admin API (ADMIN users only; docs/admin.md). */
export const adminApi = {
  users: (search, cursor) => authed('GET', `/api/admin/users${query({ search, cursor, limit: 20 })}`),
  sessions: (id) => authed('GET', `${userPath(id)}/sessions`),
  disable: (id) => authed('POST', `${userPath(id)}/disable`),
  enable: (id) => authed('POST', `${userPath(id)}/enable`),
  remove: (id) => authed('DELETE', userPath(id)),
  resetTwoFactor: (id) => authed('POST', `${userPath(id)}/2fa/reset`),
  revokeSessions: (id) => authed('POST', `${userPath(id)}/sessions/revoke`),
  bans: () => authed('GET', '/api/admin/bans'),
  ban: (ip, duration, reason) => authed('POST', '/api/admin/bans', { ip, duration, ...(reason ? { reason } : {}) }),
  lift: (key) => authed('DELETE', `/api/admin/bans/${encodeURIComponent(key)}`),
  audit: (filters, cursor) => authed('GET', `/api/admin/audit${query({ ...filters, cursor, limit: 20 })}`),
};
