import { UserRepository } from '../../../src/storage';
import { HttpClient } from '../../support/http';
import { browserLogin, cookiesSet, CLIENT_ORIGIN, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const SUCCESS = `${CLIENT_ORIGIN}/`;

// Authelia shape: client registered for client_secret_basic, PKCE off, `openid profile email`
// only (no refresh token), token reuse off.
describe('OpenID provider shape: Authelia (client_secret_basic, no PKCE, no refresh token)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({
      client: { token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'] },
      idp: { pkceRequired: false, issueRefreshToken: 'never' },
      env: { OPENID_USE_PKCE: 'false' },
    });
  });
  afterAll(() => stack?.stop());

  it('CS-11 signs in with client_secret_basic and without PKCE; the session is a Gatehouse one', async () => {
    const first = await browserLogin(stack);
    expect(first.authorization.searchParams.has('code_challenge')).toBe(false);
    expect(first.callback.location).toBe(SUCCESS);
    const refresh = await first.http.post('/api/auth/refresh');
    expect(refresh.status).toBe(200);
    expect(refresh.body.user.provider).toBe('openid');
    // The method that worked is remembered: the next login works straight away.
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
  });

  it('logout without OPENID_USE_END_SESSION_ENDPOINT: local session ends, no redirect', async () => {
    const { http } = await browserLogin(stack);
    const res = await http.post('/api/auth/logout');
    expect(res.status).toBe(200);
    expect(res.body.redirect).toBeUndefined();
    expect((await http.post('/api/auth/refresh')).text).toBe('Refresh token not provided');
  });
});

// Keycloak shape: required role and admin role read from realm_access.roles in the (JWT) access token.
describe('OpenID provider shape: Keycloak (roles from realm_access.roles in the access token)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({
      idp: { audience: 'urn:keycloak:account', accessTokenClaims: ['realm_access'] },
      accounts: [
        {
          accountId: 'alice',
          claims: { email: 'alice@example.test', email_verified: true, preferred_username: 'alice', realm_access: { roles: ['chat-user', 'gatehouse-admin'] } },
        },
        { accountId: 'bob', claims: { email: 'bob@example.test', email_verified: true, preferred_username: 'bob', realm_access: { roles: ['chat-user'] } } },
        {
          accountId: 'eve',
          claims: { email: 'eve@example.test', email_verified: true, preferred_username: 'eve', realm_access: { roles: ['chat-user-not'] } },
        },
      ],
      env: {
        OPENID_REQUIRED_ROLE: 'chat-user',
        OPENID_REQUIRED_ROLE_TOKEN_KIND: 'access',
        OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'realm_access.roles',
        OPENID_ADMIN_ROLE: 'gatehouse-admin',
        OPENID_ADMIN_ROLE_PARAMETER_PATH: 'realm_access.roles',
        OPENID_ADMIN_ROLE_TOKEN_KIND: 'access',
        OPENID_USE_END_SESSION_ENDPOINT: 'true',
        OPENID_MAX_LOGOUT_URL_LENGTH: '256',
        OPENID_POST_LOGOUT_REDIRECT_URI: `${CLIENT_ORIGIN}/signed-out`,
      },
    });
  });
  afterAll(() => stack?.stop());

  it('LO-01 without token reuse: logout revokes the session and falls back to logout_hint over OPENID_MAX_LOGOUT_URL_LENGTH', async () => {
    const { http } = await browserLogin(stack, { login: 'bob' });
    const res = await http.post('/api/auth/logout');
    expect(res.status).toBe(200);
    const url = new URL(res.body.redirect);
    expect(url.origin + url.pathname).toBe(`${stack.op.issuer}/session/end`);
    expect(url.searchParams.get('id_token_hint')).toBeNull();
    expect(url.searchParams.get('logout_hint')).toBe('bob@example.test');
    expect(url.searchParams.get('client_id')).toBe('gatehouse');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${CLIENT_ORIGIN}/signed-out`);
    expect((await http.post('/api/auth/refresh')).text).toBe('Refresh token not provided');
  });

  it('grants ADMIN to holders of the admin role', async () => {
    const { http, callback } = await browserLogin(stack, { login: 'alice' });
    expect(callback.location).toBe(SUCCESS);
    expect((await http.post('/api/auth/refresh')).body.user.role).toBe('ADMIN');
  });

  it('a user with the required role but not the admin role is a USER; a former ADMIN is demoted', async () => {
    const first = await browserLogin(stack, { login: 'bob' });
    const user = (await first.http.post('/api/auth/refresh')).body.user;
    expect(user.role).toBe('USER');
    await stack.app.app.get(UserRepository).update(user.id, { role: 'ADMIN' });
    const again = await browserLogin(stack, { login: 'bob' });
    expect((await again.http.post('/api/auth/refresh')).body.user.role).toBe('USER');
  });

  it('refuses a user without the required role (exact match, not substring), no session', async () => {
    const { callback } = await browserLogin(stack, { login: 'eve' });
    expect(callback.location).toBe(FAILURE_URL);
    expect(cookiesSet(callback)).not.toContain('refreshToken');
  });
});

// Entra shape: confidential client, an `api://…/.default` style scope, on-behalf-of exchange
// before UserInfo through a grant type the test provider registers.
describe('OpenID provider shape: Entra ID (on-behalf-of for UserInfo)', () => {
  const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({
      client: { grant_types: ['authorization_code', 'refresh_token', JWT_BEARER] },
      idp: { scopes: ['api://gatehouse/.default', 'user.read'] },
      accounts: [
        { accountId: 'alice', claims: { email: 'alice@contoso.test', email_verified: true, preferred_username: 'alice@contoso.test', name: 'Alice' } },
      ],
      env: {
        OPENID_SCOPE: 'openid profile email api://gatehouse/.default',
        // The spelling LibreChat's docs publish is accepted.
        OPENID_ON_BEHALF_FLOW_FOR_USERINFRO_REQUIRED: 'true',
        OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE: 'user.read',
      },
    });
  });
  afterAll(() => stack?.stop());

  it('exchanges the access token on behalf of the user before UserInfo, once per user and scope', async () => {
    const first = await browserLogin(stack);
    expect(first.authorization.searchParams.get('scope')).toBe('openid profile email api://gatehouse/.default');
    expect(first.callback.location).toBe(SUCCESS);
    expect((await stack.op.stats())[`/token:${JWT_BEARER}`]).toBe(1);
    const refresh = await first.http.post('/api/auth/refresh');
    expect(refresh.body.user).toMatchObject({ email: 'alice@contoso.test', name: 'Alice' });
    // Cached by user and scope: a second login does not exchange again.
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
    expect((await stack.op.stats())[`/token:${JWT_BEARER}`]).toBe(1);
  });
});

describe('ALLOW_SOCIAL_REGISTRATION is honoured for new OpenID users (LibreChat defect D-27)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({ env: { ALLOW_SOCIAL_REGISTRATION: 'false' } });
  });
  afterAll(() => stack?.stop());

  it('refuses to create an account; an existing one may still sign in', async () => {
    const refused = await browserLogin(stack);
    expect(refused.callback.location).toBe(FAILURE_URL);
    await stack.app.app
      .get(UserRepository)
      .create({ email: 'alice@example.test', provider: 'openid', openidId: 'alice', openidIssuer: stack.op.issuer, emailVerified: true });
    const allowed = await browserLogin(stack);
    expect(allowed.callback.location).toBe(SUCCESS);
    expect((await allowed.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('/oauth/openid is not served when social login is off', async () => {
    const { startApp } = await import('../../support/app.harness');
    const app = await startApp({ OPENID_CLIENT_ID: 'gatehouse', OPENID_CLIENT_SECRET: 's', OPENID_ISSUER: stack.op.issuer, ALLOW_SOCIAL_LOGIN: 'false' });
    try {
      const http = new HttpClient(app.url);
      expect((await http.get('/oauth/openid')).status).toBe(404);
      expect((await http.get('/api/config')).body.openidLoginEnabled).toBe(false);
    } finally {
      await app.stop();
    }
  });
});
