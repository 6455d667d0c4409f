import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { FAILURE_URL, fakeGoogle, providerEnv, sessionUser, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { bearer, PASSWORD } from '../auth/auth-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** Social sign-in against the fake Google: success and a forged callback move the sign-in counter and are audited. */
describe('social sign-in events (issue 22)', () => {
  let google: FakeOAuthServer;
  let app: RunningApp;
  const scrape = async () => (await new HttpClient(app.url).get('/metrics', bearer(METRICS_TOKEN))).text;
  const signIns = (text: string, outcome: string) => sample(text, 'gatehouse_sign_ins_total', { method: 'social', provider: 'google', outcome });

  beforeAll(async () => {
    google = await fakeGoogle({
      alice: { sub: '110248495921238986421', name: 'Alice Liddell', email: 'alice@example.test', email_verified: true },
      linker: { sub: '110248495921238986422', name: 'Link Er', email: 'linker@example.test', email_verified: true },
    });
    app = await startSocialApp({
      ...providerEnv('GOOGLE', google),
      METRICS_ENABLED: 'true',
      METRICS_TOKEN,
      ALLOW_REGISTRATION: 'true',
      PASSWORD_HASH_COST: '4',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await google?.stop();
  });

  it('AU-12 a Google sign-in and a forged callback count as success and state_invalid, both audited with provider google; its provider calls are measured', async () => {
    const http = new HttpClient(app.url);
    expect(
      (await http.post('/api/auth/register', { json: { name: 'Admin', email: 'admin@example.com', password: PASSWORD, confirm_password: PASSWORD } })).status,
    ).toBe(200);
    const adminToken = (await http.post('/api/auth/login', { json: { email: 'admin@example.com', password: PASSWORD } })).body.token as string;
    const before = await scrape();
    const { http: browser, callback } = await socialLogin(app, google, 'google', { login: 'alice' });
    expect(callback.status).toBe(302);
    const alice = await sessionUser(browser);
    expect(alice.status).toBe(200);
    const forged = await new HttpClient(app.url).get('/oauth/google/callback?code=stolen&state=forged-state-value');
    expect(forged.status).toBe(302);
    expect(forged.location).toBe(FAILURE_URL);
    const after = await scrape();
    expect(signIns(after, 'success') - signIns(before, 'success')).toBe(1);
    const failures = after
      .split('\n')
      .filter((l) => l.startsWith('gatehouse_sign_ins_total{') && l.includes('provider="google"') && !/outcome="(success|second_factor_pending)"/.test(l));
    const failedNow = failures.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(failedNow).toBe(1);
    const audit = await http.get('/api/admin/audit?type=sign_in.failed', bearer(adminToken));
    expect(audit.body.events[0]).toMatchObject({ method: 'social', provider: 'google', userId: null, reason: 'state_invalid' });
    expect(signIns(after, 'state_invalid') - signIns(before, 'state_invalid')).toBe(1);
    const userId = String(alice.user?.id ?? alice.user?._id);
    const own = await http.get(`/api/admin/audit?userId=${userId}&type=sign_in.succeeded`, bearer(adminToken));
    expect(own.body.events).toEqual([expect.objectContaining({ method: 'social', provider: 'google' })]);
    // The passport strategy's calls to Google are measured like the OpenID client's: by purpose, never by URL.
    const calls = (text: string, endpoint: string) => sample(text, 'gatehouse_provider_requests_total', { provider: 'google', endpoint, outcome: 'ok' });
    expect(calls(after, 'token') - calls(before, 'token')).toBe(1);
    expect(calls(after, 'userinfo') - calls(before, 'userinfo')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'gatehouse_provider_request_duration_seconds_count', { provider: 'google', endpoint: 'token' })).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain(google.url);
    expect(after).not.toContain('alice@example.test');
    expect(after).not.toContain(userId);
  });

  it('AU-12 a Google sign-in joining an existing local account is audited as account.linked', async () => {
    const http = new HttpClient(app.url);
    expect(
      (await http.post('/api/auth/register', { json: { name: 'Link Er', email: 'linker@example.test', password: PASSWORD, confirm_password: PASSWORD } }))
        .status,
    ).toBe(200);
    const local = await http.post('/api/auth/login', { json: { email: 'linker@example.test', password: PASSWORD } });
    expect(local.status).toBe(200);
    const before = await scrape();
    const { callback } = await socialLogin(app, google, 'google', { login: 'linker' });
    expect(callback.status).toBe(302);
    const after = await scrape();
    const linked = (text: string) => sample(text, 'gatehouse_security_events_total', { type: 'account.linked' });
    expect(linked(after) - linked(before)).toBe(1);
    const adminToken = (await http.post('/api/auth/login', { json: { email: 'admin@example.com', password: PASSWORD } })).body.token as string;
    const events = (await http.get(`/api/admin/audit?userId=${local.body.user.id ?? local.body.user._id}&type=account.linked`, bearer(adminToken))).body.events;
    expect(events).toEqual([expect.objectContaining({ provider: 'google', method: 'federated' })]);
  });
});
