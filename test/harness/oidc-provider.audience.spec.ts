import { completeLogin } from '../support/oidc/complete-login';
import { startOidcProvider, type OidcProviderHandle } from '../support/oidc/oidc-provider.harness';
import { buildAuthorizationUrl, obtainTokens, tokenRequest } from '../support/oidc/test-client';
import { decodeJwt, isJwt, verifyRs256 } from '../support/oidc/tokens';
import { ALICE, CLIENT } from './oidc-fixtures';

const API = 'https://api.gatehouse.test';

describe('OpenID Provider harness: audience always applied', () => {
  let op: OidcProviderHandle;
  beforeAll(async () => {
    op = await startOidcProvider({
      clients: [CLIENT],
      accounts: [ALICE],
      audience: API,
      audienceScope: 'api:read',
      accessTokenTtl: 120,
      idTokenTtl: 30,
      issueRefreshToken: 'always',
    });
  });
  afterAll(() => op?.stop());

  it('issues RS256 JWT access tokens for the audience, with the configured TTLs', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice', scope: 'openid email api:read' });
    expect(isJwt(tokens.access_token)).toBe(true);
    const { header, payload } = await verifyRs256(tokens.access_token, op.jwksUri);
    expect(header.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ iss: op.issuer, aud: API, sub: 'alice', scope: 'api:read', client_id: CLIENT.client_id });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(120);
    const idToken = decodeJwt(tokens.id_token).payload;
    expect(Number(idToken.exp) - Number(idToken.iat)).toBe(30);
    expect(idToken.email).toBe('alice@example.test');
  });

  it('refreshes without offline_access when issueRefreshToken is "always", again into a JWT', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice', scope: 'openid api:read' });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await tokenRequest(op, CLIENT, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token).payload.aud).toBe(API);
  });
});

describe('OpenID Provider harness: audience on request (Auth0 style)', () => {
  let op: OidcProviderHandle;
  beforeAll(async () => {
    op = await startOidcProvider({ clients: [CLIENT], accounts: [ALICE], audience: API, audienceMode: 'on-request' });
  });
  afterAll(() => op?.stop());

  it('issues an opaque access token when no audience is requested', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice' });
    expect(isJwt(tokens.access_token)).toBe(false);
  });

  it('issues a JWT access token when the request carries audience=', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice', extra: { audience: API } });
    expect(isJwt(tokens.access_token)).toBe(true);
    expect(decodeJwt(tokens.access_token).payload.aud).toBe(API);
  });

  it('refuses an unknown audience with invalid_target', async () => {
    const { url } = await buildAuthorizationUrl(op, { client: CLIENT, extra: { audience: 'https://elsewhere.test' } });
    const callback = await completeLogin(url, { login: 'alice' });
    expect(callback.searchParams.get('error')).toBe('invalid_target');
  });
});
