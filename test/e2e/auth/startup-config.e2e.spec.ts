import type { Env } from '../../../src/config';
import { HttpClient } from '../../support/http';
import { startAuthApp } from './auth-helpers';

async function configWith(env: Env) {
  const app = await startAuthApp(env);
  try {
    const res = await new HttpClient(app.url).get('/api/config');
    expect(res.status).toBe(200);
    return { body: res.body, text: res.text };
  } finally {
    await app.stop();
  }
}

describe('GET /api/config', () => {
  it('serves the unauthenticated sign-in payload with every field the LibreChat client reads', async () => {
    const { body } = await configWith({ ALLOW_REGISTRATION: 'false' });
    expect(body).toMatchObject({
      appTitle: 'Gatehouse',
      emailLoginEnabled: true,
      registrationEnabled: false,
      socialLoginEnabled: false,
      googleLoginEnabled: false,
      githubLoginEnabled: false,
      discordLoginEnabled: false,
      facebookLoginEnabled: false,
      openidLoginEnabled: false,
      openidLabel: expect.any(String),
      openidImageUrl: expect.any(String),
      openidAutoRedirect: false,
      serverDomain: expect.stringMatching(/^https?:\/\//),
      emailEnabled: false,
      passwordResetEnabled: false,
      minPasswordLength: 8,
      socialLogins: expect.any(Array),
    });
  });

  it('follows the environment: title, registration, email login, domain, password length, button order', async () => {
    const { body } = await configWith({
      APP_TITLE: 'Acme Chat',
      ALLOW_REGISTRATION: 'true',
      ALLOW_EMAIL_LOGIN: 'false',
      DOMAIN_SERVER: 'https://chat.example.com',
      MIN_PASSWORD_LENGTH: '12',
      SOCIAL_LOGINS: 'github,google',
    });
    expect(body).toMatchObject({
      appTitle: 'Acme Chat',
      registrationEnabled: true,
      emailLoginEnabled: false,
      serverDomain: 'https://chat.example.com',
      minPasswordLength: 12,
      socialLogins: ['github', 'google'],
    });
  });

  it('enables the Google button only with client id, secret and ALLOW_SOCIAL_LOGIN=true, and never leaks the secret', async () => {
    const google = { GOOGLE_CLIENT_ID: 'google-client-id', GOOGLE_CLIENT_SECRET: 'google-client-secret-value' };
    const on = await configWith({ ...google, ALLOW_SOCIAL_LOGIN: 'true' });
    expect(on.body).toMatchObject({ socialLoginEnabled: true, googleLoginEnabled: true, githubLoginEnabled: false });
    expect(on.text).not.toContain('google-client-secret-value');
    const off = await configWith({ ...google, ALLOW_SOCIAL_LOGIN: 'false' });
    expect(off.body).toMatchObject({ socialLoginEnabled: false, googleLoginEnabled: false });
  });

  it('reports email and password reset as enabled once a mail transport is configured (LibreChat defect D-22 fixed)', async () => {
    const mail = { EMAIL_HOST: '127.0.0.1', EMAIL_FROM: 'noreply@example.com' };
    expect((await configWith({ ...mail, ALLOW_PASSWORD_RESET: 'true' })).body).toMatchObject({ emailEnabled: true, passwordResetEnabled: true });
    // RS-07: without a transport the reset link stays hidden even when resets are allowed.
    expect((await configWith({ ALLOW_PASSWORD_RESET: 'true' })).body).toMatchObject({ emailEnabled: false, passwordResetEnabled: false });
  });
});
