import { loadConfig } from '../../../src/config';
import { UserRepository } from '../../../src/storage';
import { startApp, type RunningApp } from '../../support/app.harness';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { CookieJar } from '../../support/http/cookie-jar';
import { completeLogin, completeLogout, startOidcProvider, type OidcClientConfig, type OidcProviderHandle } from '../../support/oidc';
import { CLIENT_ORIGIN, FAILURE_URL } from '../../support/oidc/openid-stack';
import { bearer } from '../auth/auth-helpers';

/**
 * OPENID_PROVIDERS=corp,partner: two real OpenID providers at once, each with its own routes,
 * button and issuer-bound identities. Both OPs know an account with the SAME `sub` ("shared")
 * and different emails: the two must never resolve to one user.
 */
describe('several OpenID providers at once (OPENID_PROVIDERS)', () => {
  let corp: OidcProviderHandle;
  let partner: OidcProviderHandle;
  let app: RunningApp;

  beforeAll(async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const client = (name: string): OidcClientConfig => ({
      client_id: `gatehouse-${name}`,
      client_secret: `${name}-secret`,
      redirect_uris: [`${appUrl}/oauth/openid/${name}/callback`],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      post_logout_redirect_uris: [`${CLIENT_ORIGIN}/login`],
      backchannel_logout_uri: `${appUrl}/oauth/openid/${name}/backchannel-logout`,
      backchannel_logout_session_required: true,
    });
    [corp, partner] = await Promise.all([
      startOidcProvider({
        clients: [client('corp')],
        accounts: [{ accountId: 'shared', claims: { email: 'ann@corp.example', email_verified: true, name: 'Ann Corp' } }],
      }),
      startOidcProvider({
        clients: [client('partner')],
        accounts: [{ accountId: 'shared', claims: { email: 'pat@partner.example', email_verified: true, name: 'Pat Partner' } }],
      }),
    ]);
    app = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      OPENID_SESSION_SECRET: 'openid-session-secret-for-tests-0123456789',
      OPENID_PROVIDERS: 'corp,partner',
      OPENID_CORP_ISSUER: corp.issuer,
      OPENID_CORP_CLIENT_ID: 'gatehouse-corp',
      OPENID_CORP_CLIENT_SECRET: 'corp-secret',
      OPENID_CORP_BUTTON_LABEL: 'Corp SSO',
      OPENID_CORP_DOMAINS: 'corp.example',
      OPENID_CORP_USE_END_SESSION_ENDPOINT: 'true',
      OPENID_PARTNER_ISSUER: partner.issuer,
      OPENID_PARTNER_CLIENT_ID: 'gatehouse-partner',
      OPENID_PARTNER_CLIENT_SECRET: 'partner-secret',
      OPENID_PARTNER_DOMAINS: 'partner.example,*.partner.example',
      OPENID_PARTNER_ROLE_SYNC_ENABLED: 'true',
      OPENID_PARTNER_ROLE_SYNC_CLAIM: 'roles',
      OPENID_PARTNER_ROLE_SYNC_FALLBACK_ROLE: 'PARTNER',
      DOMAIN_SERVER: appUrl,
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      PORT: String(port),
    });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([corp?.stop(), partner?.stop()]);
  });

  async function login(name: string, op: OidcProviderHandle, opJar = new CookieJar()) {
    const http = new HttpClient(app.url);
    const start = await http.get(`/oauth/openid/${name}`);
    expect(start.status).toBe(302);
    expect(start.location!.startsWith(op.issuer)).toBe(true);
    const back = await completeLogin(start.location!, { login: 'shared', jar: opJar });
    const callback = await http.get(back.pathname + back.search);
    return { http, start, back, callback };
  }

  it('/api/config lists both with their labels and email domains; the default OpenID button stays off', async () => {
    const res = await new HttpClient(app.url).get('/api/config');
    expect(res.body.openidLoginEnabled).toBe(false);
    expect(res.body.loginProviders).toEqual([
      expect.objectContaining({
        name: 'openid-corp',
        label: 'Corp SSO',
        domains: ['corp.example'],
        scopes: ['openid', 'profile', 'email'],
        loginPath: '/oauth/openid/corp',
      }),
      expect.objectContaining({ name: 'openid-partner', label: 'Continue with partner', domains: ['partner.example', '*.partner.example'] }),
    ]);
  });

  it('both log in through their own routes; the same sub at two issuers is two accounts', async () => {
    const a = await login('corp', corp);
    expect(a.back.pathname).toBe('/oauth/openid/corp/callback');
    expect(a.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const b = await login('partner', partner);
    expect(b.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const ra = await a.http.post('/api/auth/refresh');
    const rb = await b.http.post('/api/auth/refresh');
    expect(ra.body.user).toMatchObject({ email: 'ann@corp.example', provider: 'openid' });
    expect(rb.body.user).toMatchObject({ email: 'pat@partner.example', provider: 'openid' });
    expect(ra.body.user.id).not.toBe(rb.body.user.id);
    expect((await a.http.get('/api/user', bearer(ra.body.token))).body.email).toBe('ann@corp.example');
    const users = app.app.get(UserRepository);
    expect((await users.findByEmail('ann@corp.example'))!.openidIssuer).not.toBe((await users.findByEmail('pat@partner.example'))!.openidIssuer);
    // A second corp login finds the corp account again, not the partner one.
    const again = await login('corp', corp);
    expect((await again.http.post('/api/auth/refresh')).body.user.id).toBe(ra.body.user.id);
  });

  it("a corp transaction cannot be finished on partner's callback (OC-06)", async () => {
    const http = new HttpClient(app.url);
    const start = await http.get('/oauth/openid/corp');
    const back = await completeLogin(start.location!, { login: 'shared', jar: new CookieJar() });
    const res = await http.get(`/oauth/openid/partner/callback${back.search}`);
    expect(res.status).toBe(302);
    expect(res.location).toBe(FAILURE_URL);
  });

  it("BL-06 BL-02 a named provider's back-channel logout ends its own login only; another provider's token is refused there", async () => {
    const corpJar = new CookieJar();
    const a = await login('corp', corp, corpJar);
    const b = await login('partner', partner);
    expect((await a.http.post('/api/auth/refresh')).status).toBe(200);
    expect((await b.http.post('/api/auth/refresh')).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const foreign = await partner.sign({
      iss: partner.issuer,
      aud: 'gatehouse-corp',
      sub: 'shared',
      iat: now,
      jti: `j-${now}`,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    const refused = await new HttpClient(app.url).post('/oauth/openid/corp/backchannel-logout', { form: { logout_token: foreign } });
    expect(refused.status).toBe(400);
    expect((await a.http.post('/api/auth/refresh')).status).toBe(200);
    await completeLogout(`${corp.issuer}/session/end`, { jar: corpJar });
    expect((await a.http.post('/api/auth/refresh')).status).not.toBe(200);
    expect((await b.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it("logout of a named provider's login returns that provider's end-session URL; the other's has none", async () => {
    const a = await login('corp', corp);
    const out = await a.http.post('/api/auth/logout');
    expect(out.status).toBe(200);
    const url = new URL(out.body.redirect);
    expect(url.origin).toBe(corp.issuer);
    expect(url.searchParams.get('client_id')).toBe('gatehouse-corp');
    expect(url.searchParams.get('id_token_hint')).toEqual(expect.any(String));
    const b = await login('partner', partner);
    const bOut = await b.http.post('/api/auth/logout');
    expect(bOut.status).toBe(200);
    expect(bOut.body.redirect).toBeUndefined();
    expect((await b.http.post('/api/auth/refresh')).text).toBe('Refresh token not provided');
  });

  it('OR-02 role sync is per provider: OPENID_PARTNER_ROLE_SYNC_* applies to partner logins only', async () => {
    const b = await login('partner', partner);
    expect((await b.http.post('/api/auth/refresh')).body.user.role).toBe('PARTNER');
    const a = await login('corp', corp);
    expect((await a.http.post('/api/auth/refresh')).body.user.role).toBe('USER');
  });

  it('a named provider without its issuer is a boot error naming the prefixed variable', () => {
    const result = loadConfig({
      NODE_ENV: 'test',
      OPENID_PROVIDERS: 'corp',
      OPENID_CORP_CLIENT_ID: 'x',
      OPENID_CORP_CLIENT_SECRET: 'y',
      OPENID_SESSION_SECRET: 'openid-session-secret-for-tests-0123456789',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(/^OPENID_CORP_ISSUER: is required/m);
    const missing = loadConfig({ NODE_ENV: 'test', OPENID_PROVIDERS: 'corp' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems.join('\n')).toMatch(/^OPENID_CORP_CLIENT_ID: is required because OPENID_PROVIDERS lists corp/m);
  });
});
