import { startOidcProvider, type OidcProviderHandle } from '../support/oidc/oidc-provider.harness';
import { discover, obtainTokens, tokenRequest } from '../support/oidc/test-client';
import { ALICE, CLIENT } from './oidc-fixtures';

describe('OpenID Provider harness: short TTLs and refresh-token rotation', () => {
  let op: OidcProviderHandle;
  beforeAll(async () => {
    op = await startOidcProvider({
      clients: [CLIENT],
      accounts: [ALICE],
      accessTokenTtl: 1,
      issueRefreshToken: 'always',
      rotateRefreshToken: true,
    });
  });
  afterAll(() => op?.stop());

  it('expires access tokens after accessTokenTtl seconds', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice', scope: 'openid email' });
    expect(tokens.expires_in).toBe(1);
    const userinfo = async () => (await fetch((await discover(op)).userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status;
    expect(await userinfo()).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await userinfo()).toBe(401);
  });

  it('rotates refresh tokens and revokes the whole grant when a used one is replayed', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice' });
    const refresh = (token?: string) => tokenRequest(op, CLIENT, { grant_type: 'refresh_token', refresh_token: token ?? '' });

    const first = await refresh(tokens.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);

    const replay = await refresh(tokens.refresh_token);
    expect(replay.body.error).toBe('invalid_grant');
    // Reuse detection: the legitimately rotated token died with the grant.
    expect((await refresh(first.body.refresh_token)).body.error).toBe('invalid_grant');
  });
});
