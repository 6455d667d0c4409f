import { RECENT_LOOKUP_MS } from '../../../src/common/recent-cache';
import { IdpTokenVault } from '../../../src/storage';
import { SqliteIdpTokenVault } from '../../../src/storage/sqlite/sqlite-idp-token.vault';
import { holdClock } from '../../support/clock';
import { HttpClient, type HttpResponse } from '../../support/http';
import { completeLogout, decodeJwt, isJwt, tokenRequest } from '../../support/oidc';
import { CookieJar } from '../../support/http/cookie-jar';
import { bearer, isCleared, cookie } from '../auth/auth-helpers';
import { ALICE_ACCOUNT, auth0Shape, browserLogin, CLIENT_ORIGIN, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const API = 'https://api.gatehouse.test';
const BOB = { accountId: 'bob', claims: { email: 'bob@example.test', email_verified: true, preferred_username: 'bob' } };

/** The IdP tokens the vault holds for the login of this browser (via the signed openid_user_id cookie). */
async function vaultTokens(stack: OpenIdStack, http: HttpClient) {
  const { id, sid } = decodeJwt(http.jar.get('openid_user_id')!).payload as { id: string; sid: string };
  return stack.app.app.get(IdpTokenVault).load(id, `openid:${sid}`);
}

async function tokenCalls(stack: OpenIdStack): Promise<number> {
  return (await stack.op.stats())['/token'] ?? 0;
}

function notSignedIn(res: HttpResponse): void {
  expect(res.status).toBe(200);
  expect(res.text).toBe('Refresh token not provided');
}

// Auth0 shape: public client + PKCE, OPENID_AUDIENCE → JWT access tokens, token reuse on,
// end-session logout. OPENID_REUSE_MAX_SESSION_AGE_MS=0 so every refresh goes to the IdP (except
// requests racing a refresh that just happened, which share its result).
describe('OpenID token reuse (Auth0 shape with OPENID_AUDIENCE)', () => {
  let stack: OpenIdStack;

  beforeAll(async () => {
    const shape = auth0Shape(API);
    stack = await startOpenIdStack({
      ...shape,
      accounts: [ALICE_ACCOUNT, BOB],
      env: {
        ...shape.env,
        OPENID_REUSE_MAX_SESSION_AGE_MS: '0',
        OPENID_USE_END_SESSION_ENDPOINT: 'true',
      },
    });
  });
  afterEach(() => stack.op.setFaults({}));
  afterAll(() => stack?.stop());

  it("login sets LibreChat's reuse cookies; the IdP tokens sit encrypted in the vault", async () => {
    const { http, callback, authorization } = await browserLogin(stack);
    expect(authorization.searchParams.get('audience')).toBe(API);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const jar = http.jar.toObject();
    expect(jar.token_provider).toBe('openid');
    expect(jar.openid_user_id).toBeDefined();
    const stored = await vaultTokens(stack, http);
    expect(stored?.refreshToken).toBe(jar.refreshToken);
    expect(isJwt(stored!.accessToken!)).toBe(true);
    expect(decodeJwt(stored!.accessToken!).payload.aud).toBe(API);
  });

  it('refresh returns the ID token; it and the JWT access token are accepted as bearer (JWKS-validated)', async () => {
    const { http } = await browserLogin(stack);
    const refresh = await http.post('/api/auth/refresh');

    expect(refresh.status).toBe(200);
    const payload = decodeJwt(refresh.body.token).payload;
    expect(payload).toMatchObject({ iss: stack.op.issuer, aud: 'gatehouse', sub: 'alice' });
    expect(refresh.body.user.email).toBe('alice@example.test');
    expect((await http.get('/api/user', bearer(refresh.body.token))).status).toBe(200);
    // The authenticated startup payload tells the client that IdP tokens are the session.
    expect((await http.get('/api/config', bearer(refresh.body.token))).body.openidReuseTokens).toBe(true);
    expect((await http.get('/api/config')).body.openidReuseTokens).toBeUndefined();
    const stored = await vaultTokens(stack, http);
    const viaAccess = await http.get('/api/user', bearer(stored!.accessToken!));
    expect(viaAccess.status).toBe(200);
    expect(viaAccess.body.email).toBe('alice@example.test');
  });

  it('LP-03 a login ended by another process stops its reused IdP token within one second of the app clock; ended by the app, at once', async () => {
    const clock = holdClock(stack.app);
    try {
      const { http } = await browserLogin(stack);
      const idToken = (await http.post('/api/auth/refresh')).body.token as string;
      const { id, sid } = decodeJwt(http.jar.get('openid_user_id')!).payload as { id: string; sid: string };
      expect((await http.get('/api/user', bearer(idToken))).status).toBe(200);
      // Another instance (or LibreChat) logs the device out: the shared store loses the login's
      // tokens without this process hearing of it (the adapter itself, not the announcing port).
      expect(await stack.app.app.get(SqliteIdpTokenVault).delete(id, `openid:${sid}`)).toBe(1);
      expect((await http.get('/api/user', bearer(idToken))).status).toBe(200);
      clock.advance(RECENT_LOOKUP_MS);
      expect((await http.get('/api/user', bearer(idToken))).status).toBe(401);

      // Ended by this process (logout, back-channel logout, admin revocation, deletion all remove
      // through the vault port): refused on the very next request.
      const second = await browserLogin(stack);
      const secondToken = (await second.http.post('/api/auth/refresh')).body.token as string;
      expect((await second.http.get('/api/user', bearer(secondToken))).status).toBe(200);
      await stack.app.app.get(IdpTokenVault).delete(id);
      expect((await second.http.get('/api/user', bearer(secondToken))).status).toBe(401);
    } finally {
      clock.restore();
    }
  });

  it("TR-01 an IdP bearer without the signed cookie, or next to another user's cookie, is refused", async () => {
    const alice = await browserLogin(stack);
    const bob = await browserLogin(stack, { login: 'bob' });
    const aliceToken = (await alice.http.post('/api/auth/refresh')).body.token;
    const bare = await new HttpClient(stack.app.url).get('/api/user', bearer(aliceToken));
    expect(bare.status).toBe(401);
    const crossed = await bob.http.get('/api/user', bearer(aliceToken));
    expect(crossed.status).toBe(401);
    // A forged cookie does not help either.
    const forged = new HttpClient(stack.app.url);
    forged.jar.set('token_provider', 'openid');
    // One signature character changed (not the last one, whose low bits are only padding).
    const genuine = alice.http.jar.get('openid_user_id')!;
    const at = genuine.lastIndexOf('.') + 5;
    forged.jar.set('openid_user_id', genuine.slice(0, at) + (genuine[at] === 'A' ? 'B' : 'A') + genuine.slice(at + 1));
    expect((await forged.get('/api/user', bearer(aliceToken))).status).toBe(401);
  });

  it('JW-03 a Gatehouse refresh cookie is not an openid_user_id cookie, and an ID token is not a refresh cookie', async () => {
    const alice = await browserLogin(stack);
    const idToken = (await alice.http.post('/api/auth/refresh')).body.token;
    const http = new HttpClient(stack.app.url);
    http.jar.set('token_provider', 'openid');
    http.jar.set('openid_user_id', idToken);
    http.jar.set('refreshToken', alice.http.jar.get('refreshToken')!);
    expect((await http.get('/api/user', bearer(idToken))).status).toBe(401);
    const refresh = await http.post('/api/auth/refresh');
    expect(refresh.body?.token).toBeUndefined();
  });

  it('JW-05 JW-06 JW-12 hostile kid values and header keys are refused; the JWKS is not hammered', async () => {
    const { http } = await browserLogin(stack);
    const idToken: string = (await http.post('/api/auth/refresh')).body.token;
    const [, payload, signature] = idToken.split('.');
    const withHeader = (header: Record<string, unknown>) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
    const jwksBefore = (await stack.op.stats())['/jwks'] ?? 0;
    const hostile = [
      ...Array.from({ length: 15 }, (_, i) => withHeader({ alg: 'RS256', kid: `random-${i}` })),
      withHeader({ alg: 'RS256', kid: '../../etc/passwd' }),
      withHeader({ alg: 'RS256', kid: "' OR 1=1 --" }),
      withHeader({ alg: 'RS256', kid: 'x'.repeat(10_000) }),
      // A key carried in the token itself is never used (the real kid is absent from the header).
      withHeader({ alg: 'RS256', jku: 'http://127.0.0.1:1/jwks', jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }),
    ];
    for (const token of hostile) {
      const res = await http.get('/api/user', bearer(token));
      expect(res.status).toBe(401);
    }
    // jwks-rsa's refetch rate limit (10 per minute) bounds what a flood of unknown kids costs the IdP.
    expect(((await stack.op.stats())['/jwks'] ?? 0) - jwksBefore).toBeLessThanOrEqual(10);
  });

  it('TR-02 concurrent refreshes share one IdP refresh (single-flight per login)', async () => {
    // One refresh of another login first: the client learns the provider's stance on `scope`
    // (see TokenEndpointClient.refresh), which would otherwise add a call to the count.
    expect((await (await browserLogin(stack)).http.post('/api/auth/refresh')).status).toBe(200);
    const { http } = await browserLogin(stack);
    const before = await tokenCalls(stack);
    const results = await Promise.all(Array.from({ length: 5 }, () => http.post('/api/auth/refresh')));
    for (const r of results) expect(r.status).toBe(200);
    expect(new Set(results.map((r) => r.body.token)).size).toBe(1);
    expect((await tokenCalls(stack)) - before).toBe(1);
  });

  it('TR-04 IdP 5xx during refresh → 503, session kept; it works again once the IdP is back', async () => {
    const { http } = await browserLogin(stack);
    await stack.op.setFaults({ refresh: 502 });
    const down = await http.post('/api/auth/refresh');
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('IDP_UNAVAILABLE');
    expect(cookie(down, 'refreshToken')).toBeUndefined();
    await stack.op.setFaults({});
    const up = await http.post('/api/auth/refresh');
    expect(up.status).toBe(200);
  });

  it('TR-03 invalid_grant → cookies cleared, "not signed in" once, no further IdP calls', async () => {
    const { http } = await browserLogin(stack);
    await stack.op.setFaults({ refresh: 'invalid_grant' });
    const ended = await http.post('/api/auth/refresh');
    notSignedIn(ended);
    expect(isCleared(cookie(ended, 'refreshToken'))).toBe(true);
    expect(isCleared(cookie(ended, 'openid_user_id'))).toBe(true);
    const before = await tokenCalls(stack);
    notSignedIn(await http.post('/api/auth/refresh'));
    expect(await tokenCalls(stack)).toBe(before);
  });

  it('CS-14 a refreshed ID token naming another subject ends the session', async () => {
    const { http } = await browserLogin(stack);
    await stack.op.setFaults({ tamper: 'other-sub', tamperGrant: 'refresh_token' });
    notSignedIn(await http.post('/api/auth/refresh'));
  });

  it('LO-01 logout returns the end-session URL with id_token_hint, client_id and post_logout_redirect_uri', async () => {
    const opJar = new CookieJar();
    const { http } = await browserLogin(stack, { opJar });
    const stored = await vaultTokens(stack, http);
    const res = await http.post('/api/auth/logout');
    expect(res.status).toBe(200);
    const url = new URL(res.body.redirect);
    expect(url.origin + url.pathname).toBe(`${stack.op.issuer}/session/end`);
    expect(url.searchParams.get('id_token_hint')).toBe(stored!.idToken);
    expect(url.searchParams.get('client_id')).toBe('gatehouse');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${CLIENT_ORIGIN}/login`);
    for (const name of ['refreshToken', 'token_provider', 'openid_user_id']) expect(isCleared(cookie(res, name))).toBe(true);
    // The IdP accepts it and sends the browser back to the client.
    const back = await completeLogout(url, { jar: opJar });
    expect(back.origin + back.pathname).toBe(`${CLIENT_ORIGIN}/login`);
    notSignedIn(await http.post('/api/auth/refresh'));
  });

  it('logout revokes the IdP refresh token at the provider (RFC 7009), not just forgets it', async () => {
    const { http } = await browserLogin(stack);
    const stored = await vaultTokens(stack, http);
    const grant = { grant_type: 'refresh_token', refresh_token: stored!.refreshToken! };
    expect((await tokenRequest(stack.op, stack.client, grant)).status).toBe(200);
    expect((await http.post('/api/auth/logout')).status).toBe(200);
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = (await tokenRequest(stack.op, stack.client, grant)).status === 400;
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(true);
  });

  it('LO-02 the IdP unreachable at logout: the local session still ends', async () => {
    const { http } = await browserLogin(stack);
    const cookies = http.jar.toObject();
    await stack.op.setFaults({ jwks: 503, token: 503, refresh: 503 });
    const res = await http.post('/api/auth/logout');
    expect(res.status).toBe(200);
    // Replaying the old cookies does not bring the session back.
    const replay = new HttpClient(stack.app.url);
    for (const [k, v] of Object.entries(cookies)) replay.jar.set(k, v);
    notSignedIn(await replay.post('/api/auth/refresh'));
  });
});

// Providers that rotate refresh tokens (Auth0 rotation, Keycloak "Revoke Refresh Token").
describe('OpenID token reuse with refresh-token rotation', () => {
  let stack: OpenIdStack;

  beforeAll(async () => {
    stack = await startOpenIdStack({
      idp: { issueRefreshToken: 'always', rotateRefreshToken: true },
      env: { OPENID_REUSE_TOKENS: 'true', OPENID_REUSE_MAX_SESSION_AGE_MS: '0' },
    });
  });
  afterAll(() => stack?.stop());

  it('the refresh cookie follows the rotation; a request still carrying the old one is not logged out', async () => {
    const { http } = await browserLogin(stack);
    const stale = new HttpClient(stack.app.url);
    for (const [k, v] of Object.entries(http.jar.toObject())) stale.jar.set(k, v);
    const clock = holdClock(stack.app);
    try {
      const first = await http.post('/api/auth/refresh');
      expect(first.status).toBe(200);
      const rotated = cookie(first, 'refreshToken');
      expect(rotated?.value).toBeTruthy();
      expect(rotated!.value).not.toBe(stale.jar.get('refreshToken'));
      expect((await vaultTokens(stack, http))?.refreshToken).toBe(rotated!.value);
      // The other tab's request was sent before it saw the new cookie.
      const raced = await stale.post('/api/auth/refresh');
      expect(raced.status).toBe(200);
      expect(raced.body.token).toBe(first.body.token);
      // And the rotated token keeps working at the IdP once the race window is over (the clock moves, nothing sleeps).
      clock.advance(5_100);
      const later = await http.post('/api/auth/refresh');
      expect(later.status).toBe(200);
    } finally {
      clock.restore();
    }
  });

  it('TR-04 RL-05 the IdP process gone (connection refused) during refresh → 503, session kept', async () => {
    const { http } = await browserLogin(stack);
    const before = http.jar.toObject();
    await stack.op.stop();
    const res = await http.post('/api/auth/refresh');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('IDP_UNAVAILABLE');
    expect(res.setCookies.filter((c) => c.name === 'refreshToken')).toHaveLength(0);
    expect(http.jar.toObject()).toEqual(before);
    // Logout still ends the local side without the IdP (LO-02).
    expect((await http.post('/api/auth/logout')).status).toBe(200);
  });
});

// Auth0 without OPENID_AUDIENCE: opaque access tokens. Default reuse window (15 min).
describe('OpenID token reuse with opaque access tokens (Auth0 shape without OPENID_AUDIENCE)', () => {
  let stack: OpenIdStack;

  beforeAll(async () => {
    stack = await startOpenIdStack({
      client: { client_secret: undefined, token_endpoint_auth_method: 'none' },
      idp: { issueRefreshToken: 'always' },
      env: { OPENID_CLIENT_SECRET: '', OPENID_USE_PKCE: 'true', OPENID_SCOPE: 'openid profile email offline_access', OPENID_REUSE_TOKENS: 'true' },
    });
  });
  afterEach(() => stack.op.setFaults({}));
  afterAll(() => stack?.stop());

  it('JW-13 an opaque access token as bearer → 401 explaining OPENID_AUDIENCE; the ID token keeps working (no loop)', async () => {
    const { http } = await browserLogin(stack);
    const stored = await vaultTokens(stack, http);
    expect(isJwt(stored!.accessToken!)).toBe(false);
    const res = await http.get('/api/user', bearer(stored!.accessToken!));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('OPENID_OPAQUE_TOKEN');
    expect(res.body.message).toContain('OPENID_AUDIENCE');
    const refresh = await http.post('/api/auth/refresh');
    expect(refresh.status).toBe(200);
    expect(isJwt(refresh.body.token)).toBe(true);
    expect((await http.get('/api/user', bearer(refresh.body.token))).status).toBe(200);
  });

  it('TR-05 inside OPENID_REUSE_MAX_SESSION_AGE_MS a valid token is served without an IdP call', async () => {
    const { http } = await browserLogin(stack);
    const before = await tokenCalls(stack);
    const a = await http.post('/api/auth/refresh');
    const b = await http.post('/api/auth/refresh');
    expect(a.body.token).toBe(b.body.token);
    expect(await tokenCalls(stack)).toBe(before);
  });

  it('LibreChat defect D-33: a provider that returns no refresh token → clear configuration error at login, no cookies', async () => {
    await stack.op.setFaults({ dropRefreshToken: true });
    const { callback } = await browserLogin(stack);
    expect(callback.location).toBe(`${FAILURE_URL}&reason=configuration`);
    expect(callback.setCookies.filter((c) => c.value !== '').map((c) => c.name)).not.toContain('refreshToken');
  });
});
