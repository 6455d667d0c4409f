import { IdpTokenVault } from '../../../src/storage';
import { startApp, type RunningApp } from '../../support/app.harness';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { CookieJar } from '../../support/http/cookie-jar';
import { completeLogin, decodeJwt, startOidcProvider, type OidcClientConfig, type OidcProviderHandle } from '../../support/oidc';
import { CLIENT_ORIGIN } from '../../support/oidc/openid-stack';
import { bearer } from '../auth/auth-helpers';

/**
 * OPENID_<NAME>_REUSE_TOKENS on two named providers at once (two real OpenID Providers). Both
 * know an account with the same `sub` ("shared"), so only the issuer and the provider named in the
 * signed cookie tell the two logins apart.
 */
describe('token reuse for named OpenID providers (OPENID_PROVIDERS)', () => {
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
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      post_logout_redirect_uris: [`${CLIENT_ORIGIN}/login`],
    });
    [corp, partner] = await Promise.all([
      startOidcProvider({
        clients: [client('corp')],
        issueRefreshToken: 'always',
        accounts: [{ accountId: 'shared', claims: { email: 'ann@corp.example', email_verified: true, name: 'Ann Corp' } }],
      }),
      startOidcProvider({
        clients: [client('partner')],
        issueRefreshToken: 'always',
        rotateRefreshToken: true,
        accounts: [{ accountId: 'shared', claims: { email: 'pat@partner.example', email_verified: true, name: 'Pat Partner' } }],
      }),
    ]);
    const provider = (name: string, extra: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries({
          ISSUER: name === 'corp' ? corp.issuer : partner.issuer,
          CLIENT_ID: `gatehouse-${name}`,
          CLIENT_SECRET: `${name}-secret`,
          SCOPE: 'openid profile email offline_access',
          REUSE_TOKENS: 'true',
          REUSE_MAX_SESSION_AGE_MS: '0',
          ...extra,
        }).map(([k, v]) => [`OPENID_${name.toUpperCase()}_${k}`, v]),
      );
    app = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      OPENID_SESSION_SECRET: 'openid-session-secret-for-tests-0123456789',
      OPENID_PROVIDERS: 'corp,partner',
      ...provider('corp', { USE_END_SESSION_ENDPOINT: 'true' }),
      ...provider('partner'),
      DOMAIN_SERVER: appUrl,
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      PORT: String(port),
    });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([corp?.stop(), partner?.stop()]);
  });

  async function login(name: string, op: OidcProviderHandle) {
    const http = new HttpClient(app.url);
    const start = await http.get(`/oauth/openid/${name}`);
    expect(start.status).toBe(302);
    expect(start.location!.startsWith(op.issuer)).toBe(true);
    const back = await completeLogin(start.location!, { login: 'shared', jar: new CookieJar() });
    const callback = await http.get(back.pathname + back.search);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    return http;
  }

  function who(http: HttpClient): { id: string; sid: string; p?: string } {
    return decodeJwt(http.jar.get('openid_user_id')!).payload as { id: string; sid: string; p?: string };
  }

  const tokenCalls = async (op: OidcProviderHandle) => (await op.stats())['/token:refresh_token'] ?? 0;

  it('TR-13 the cookies name the provider, its vault entry is keyed by it, and refresh goes to its own IdP', async () => {
    const http = await login('corp', corp);
    expect(http.jar.get('token_provider')).toBe('openid');
    const { id, sid, p } = who(http);
    expect(p).toBe('openid-corp');
    const vault = app.app.get(IdpTokenVault);
    const stored = await vault.load(id, `openid-corp:${sid}`);
    expect(stored?.refreshToken).toBe(http.jar.get('refreshToken'));
    expect(await vault.load(id, `openid:${sid}`)).toBeNull();

    const [corpBefore, partnerBefore] = [await tokenCalls(corp), await tokenCalls(partner)];
    const refresh = await http.post('/api/auth/refresh');
    expect(refresh.status).toBe(200);
    expect(decodeJwt(refresh.body.token).payload).toMatchObject({ iss: corp.issuer, aud: 'gatehouse-corp', sub: 'shared' });
    expect(refresh.body.user.email).toBe('ann@corp.example');
    // (The first refresh may be two calls: the provider refuses the scope parameter, then it goes without.)
    expect(await tokenCalls(corp)).toBeGreaterThan(corpBefore);
    expect(await tokenCalls(partner)).toBe(partnerBefore);
    const me = await http.get('/api/user', bearer(refresh.body.token));
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('ann@corp.example');
  });

  it('TR-13 a rotating provider moves its own cookie along; the other provider keeps working', async () => {
    const b = await login('partner', partner);
    const a = await login('corp', corp);
    const before = b.jar.get('refreshToken');
    const rb = await b.post('/api/auth/refresh');
    expect(rb.status).toBe(200);
    expect(decodeJwt(rb.body.token).payload.iss).toBe(partner.issuer);
    expect(b.jar.get('refreshToken')).not.toBe(before);
    expect(who(b).p).toBe('openid-partner');
    expect((await b.post('/api/auth/refresh')).status).toBe(200);
    const ra = await a.post('/api/auth/refresh');
    expect(decodeJwt(ra.body.token).payload.iss).toBe(corp.issuer);
    expect(ra.body.user.id).not.toBe(rb.body.user.id);
  });

  it("TR-14 one provider's IdP token next to another provider's cookie is refused, although the sub is the same", async () => {
    const a = await login('corp', corp);
    const b = await login('partner', partner);
    const corpToken = (await a.post('/api/auth/refresh')).body.token as string;
    const partnerToken = (await b.post('/api/auth/refresh')).body.token as string;
    expect((await a.get('/api/user', bearer(partnerToken))).status).toBe(401);
    expect((await b.get('/api/user', bearer(corpToken))).status).toBe(401);
    expect((await b.get('/api/user', bearer(partnerToken))).body.email).toBe('pat@partner.example');
    // Partner's refresh cookie with corp's signed cookie: not corp's stored refresh token → signed out, never sent to an IdP.
    const mixed = new HttpClient(app.url);
    mixed.jar.set('token_provider', 'openid');
    mixed.jar.set('openid_user_id', a.jar.get('openid_user_id')!);
    mixed.jar.set('refreshToken', b.jar.get('refreshToken')!);
    const partnerCalls = await tokenCalls(partner);
    const refused = await mixed.post('/api/auth/refresh');
    expect(refused.body?.token).toBeUndefined();
    expect(await tokenCalls(partner)).toBe(partnerCalls);
  });

  it("LO-01 logout of a named reuse login: its vault entry and cookies end, the URL is that provider's end-session", async () => {
    const a = await login('corp', corp);
    const b = await login('partner', partner);
    const idToken = (await a.post('/api/auth/refresh')).body.token as string;
    const { id, sid } = who(a);
    const oldCookie = a.jar.get('openid_user_id')!;
    const out = await a.post('/api/auth/logout');
    expect(out.status).toBe(200);
    const url = new URL(out.body.redirect);
    expect(url.origin).toBe(corp.issuer);
    expect(url.searchParams.get('client_id')).toBe('gatehouse-corp');
    expect(url.searchParams.get('id_token_hint')).toEqual(expect.any(String));
    expect(a.jar.get('openid_user_id')).toBeUndefined();
    expect(await app.app.get(IdpTokenVault).load(id, `openid-corp:${sid}`)).toBeNull();
    // The still-unexpired ID token stops working with its login, even with the old cookie put back.
    const replay = new HttpClient(app.url);
    replay.jar.set('token_provider', 'openid');
    replay.jar.set('openid_user_id', oldCookie);
    expect((await replay.get('/api/user', bearer(idToken))).status).toBe(401);
    // The partner login is untouched; its own logout has no end-session URL (not configured).
    const bOut = await b.post('/api/auth/logout');
    expect(bOut.status).toBe(200);
    expect(bOut.body.redirect).toBeUndefined();
    expect((await b.post('/api/auth/refresh')).text).toBe('Refresh token not provided');
  });
});
