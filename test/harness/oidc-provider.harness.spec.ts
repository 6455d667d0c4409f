import { completeLogin, completeLogout } from '../support/oidc/complete-login';
import { startOidcProvider, type OidcProviderHandle } from '../support/oidc/oidc-provider.harness';
import { buildAuthorizationUrl, discover, obtainTokens, tokenRequest } from '../support/oidc/test-client';
import { decodeJwt, isJwt, verifyRs256 } from '../support/oidc/tokens';
import { ALICE, CLIENT, RP } from './oidc-fixtures';

async function jwksKids(op: OidcProviderHandle): Promise<string[]> {
  const { keys } = (await (await fetch(op.jwksUri)).json()) as { keys: Array<{ kid: string }> };
  return keys.map((k) => k.kid);
}

describe('OpenID Provider harness', () => {
  let op: OidcProviderHandle;
  beforeAll(async () => {
    op = await startOidcProvider({ clients: [CLIENT], accounts: [ALICE] });
  });
  afterAll(() => op?.stop());

  it('serves a discovery document for its issuer', async () => {
    const doc = await discover(op);
    expect(op.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.issuer).toBe(op.issuer);
    expect(doc.jwks_uri).toBe(op.jwksUri);
    expect(doc.end_session_endpoint).toBe(`${op.issuer}/session/end`);
    expect(doc.code_challenge_methods_supported).toContain('S256');
  });

  it('runs the authorization-code flow with PKCE and an RS256 id_token', async () => {
    const { url, state, nonce, codeVerifier } = await buildAuthorizationUrl(op, {
      client: CLIENT,
      scope: 'openid email profile roles groups',
    });
    const callback = await completeLogin(url, { login: 'alice' });
    expect(callback.origin + callback.pathname).toBe(CLIENT.redirect_uris[0]);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(op.issuer);

    const tokens = await tokenRequest(op, CLIENT, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: CLIENT.redirect_uris[0],
      code_verifier: codeVerifier ?? '',
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('Bearer');
    const { header, payload } = await verifyRs256(tokens.body.id_token, op.jwksUri);
    expect(header.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      iss: op.issuer,
      aud: CLIENT.client_id,
      sub: 'alice',
      nonce,
      email: 'alice@example.test',
      preferred_username: 'alice',
      roles: ['admin'],
      groups: ['staff'],
    });
  });

  it('rejects a code exchange with the wrong code_verifier, and a tampered signature', async () => {
    const { url, codeVerifier } = await buildAuthorizationUrl(op, { client: CLIENT });
    const code = (await completeLogin(url, { login: 'alice' })).searchParams.get('code') ?? '';
    const exchange = { grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirect_uris[0] };
    const wrong = await tokenRequest(op, CLIENT, { ...exchange, code_verifier: `${codeVerifier}x` });
    expect(wrong.body.error).toBe('invalid_grant');

    const { id_token } = await obtainTokens(op, { client: CLIENT, login: 'alice' });
    const [h, , s] = id_token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(id_token).payload, sub: 'mallory' })).toString('base64url');
    await expect(verifyRs256(`${h}.${forged}.${s}`, op.jwksUri)).rejects.toThrow('invalid RS256 signature');
  });

  it('refuses an authorization request without code_challenge', async () => {
    const { url, state } = await buildAuthorizationUrl(op, { client: CLIENT, pkce: false });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(CLIENT.redirect_uris[0]);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('state')).toBe(state);
  });

  it('rejects a wrong password and unknown accounts at the login prompt', async () => {
    const attempt = async (login: string, password?: string) => completeLogin((await buildAuthorizationUrl(op, { client: CLIENT })).url, { login, password });
    await expect(attempt('alice', 'nope')).rejects.toThrow(/rejected login "alice"/);
    await expect(attempt('mallory')).rejects.toThrow(/rejected login "mallory"/);
  });

  it('issues opaque access tokens that userinfo accepts', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice', scope: 'openid email' });
    expect(isJwt(tokens.access_token)).toBe(false);
    const userinfo = await fetch((await discover(op)).userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toEqual({ sub: 'alice', email: 'alice@example.test', email_verified: true });
  });

  it('issues refresh tokens only for offline_access with prompt=consent, and refreshes', async () => {
    const plain = await obtainTokens(op, { client: CLIENT, login: 'alice' });
    expect(plain.refresh_token).toBeUndefined();
    // OIDC Core §11: offline_access is dropped unless the request carries prompt=consent.
    const ignored = await obtainTokens(op, { client: CLIENT, login: 'alice', scope: 'openid offline_access' });
    expect(ignored.scope).toBe('openid');
    expect(ignored.refresh_token).toBeUndefined();

    const offline = { scope: 'openid offline_access', extra: { prompt: 'consent' } };
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice', ...offline });
    expect(tokens.scope).toBe('openid offline_access');
    const refreshed = await tokenRequest(op, CLIENT, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(tokens.access_token);
    expect(decodeJwt(refreshed.body.id_token).payload.sub).toBe('alice');
    const bogus = await tokenRequest(op, CLIENT, { grant_type: 'refresh_token', refresh_token: 'not-a-token' });
    expect(bogus.body.error).toBe('invalid_grant');
  });

  it('rotates the signing key without losing sessions, grants or refresh tokens', async () => {
    const offline = { scope: 'openid offline_access', extra: { prompt: 'consent' } };
    const before = await obtainTokens(op, { client: CLIENT, login: 'alice', ...offline });
    const oldKid = decodeJwt(before.id_token).header.kid as string;
    const newKid = await op.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    expect(await jwksKids(op)).toEqual([newKid, oldKid]);

    // Same jar and no prompt: the OP redirects straight back, so the (wrong) password is never checked.
    const after = await obtainTokens(op, { client: CLIENT, login: 'alice', password: 'wrong', jar: before.jar });
    expect((await verifyRs256(after.id_token, op.jwksUri)).header.kid).toBe(newKid);
    const refreshed = await tokenRequest(op, CLIENT, { grant_type: 'refresh_token', refresh_token: before.refresh_token ?? '' });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.id_token).header.kid).toBe(newKid);

    const onlyKid = await op.rotateKeys({ dropPrevious: true });
    expect(await jwksKids(op)).toEqual([onlyKid]);
    await expect(verifyRs256(after.id_token, op.jwksUri)).rejects.toThrow(/not in JWKS/);
  });

  it('ends the OP session via RP-initiated logout after a confirmation page', async () => {
    const tokens = await obtainTokens(op, { client: CLIENT, login: 'alice' });
    const endSession = new URL((await discover(op)).end_session_endpoint);
    endSession.search = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: CLIENT.post_logout_redirect_uris?.[0] ?? '',
      state: 'bye',
    }).toString();
    const page = await fetch(endSession, { headers: { cookie: tokens.jar.header('/session/end') ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="xsrf"');

    const redirect = await completeLogout(endSession, { jar: tokens.jar });
    expect(redirect.origin + redirect.pathname).toBe(CLIENT.post_logout_redirect_uris?.[0]);
    expect(redirect.searchParams.get('state')).toBe('bye');
    expect(tokens.jar.get('_session')).toBeUndefined();
    const again = obtainTokens(op, { client: CLIENT, login: 'alice', password: 'wrong', jar: tokens.jar });
    await expect(again).rejects.toThrow(/rejected login/);
  });

  it('accepts clients registered after startup and keeps serving when an update is invalid', async () => {
    const late = { ...CLIENT, client_id: 'late', redirect_uris: [`${RP}/late`] };
    const { url } = await buildAuthorizationUrl(op, { client: late });
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);

    await op.updateClients([CLIENT, late]);
    const callback = await completeLogin(url, { login: 'alice' });
    expect(callback.origin + callback.pathname).toBe(late.redirect_uris[0]);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));

    await expect(op.updateClients([{ client_id: 'broken', redirect_uris: ['not a url'] }])).rejects.toThrow(/client broken/);
    expect((await obtainTokens(op, { client: late, login: 'alice' })).id_token).toEqual(expect.any(String));
  });
});

describe('OpenID Provider harness startup', () => {
  it('fails fast with the child stderr when the configuration is invalid', async () => {
    const started = startOidcProvider({ clients: [{ client_id: 'bad', redirect_uris: ['nope'] }], accounts: [] });
    await expect(started).rejects.toThrow(/failed to start[\s\S]*startup failed: client bad: /);
  });
});
