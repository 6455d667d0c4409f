import { randomUUID } from 'node:crypto';
import { IdpTokenVault, SessionRepository } from '../../../src/storage';
import { completeLogout, decodeJwt } from '../../support/oidc';
import { CookieJar } from '../../support/http/cookie-jar';
import { HttpClient } from '../../support/http';
import { bearer } from '../auth/auth-helpers';
import { ALICE_ACCOUNT, browserLogin, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const BOB = { accountId: 'bob', claims: { email: 'bob@example.test', email_verified: true, preferred_username: 'bob' } };
const backchannelClient = (appUrl: string) => ({
  backchannel_logout_uri: `${appUrl}/oauth/openid/backchannel-logout`,
  backchannel_logout_session_required: true,
});

/** Posts a logout token the way an IdP does (form-encoded, no cookies). */
function postLogoutToken(stack: OpenIdStack, token: string | null, path = '/oauth/openid/backchannel-logout') {
  const http = new HttpClient(stack.app.url);
  return http.post(path, { form: token === null ? {} : { logout_token: token } });
}

/** Signs in at the IdP (own OP cookie jar) and at the app; returns both plus the IdP session id. */
async function signIn(stack: OpenIdStack, login = 'alice') {
  const opJar = new CookieJar();
  const session = await browserLogin(stack, { login, opJar });
  const refreshed = await session.http.post('/api/auth/refresh');
  expect(refreshed.status).toBe(200);
  return { ...session, opJar, refreshed };
}

// Gatehouse sessions (no token reuse): the IdP's end-session posts a logout token whose `sid`
// names the IdP session; the refresh session opened by it is revoked and its vault entry deleted.
describe('OpenID Back-Channel Logout 1.0 (Gatehouse sessions)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({ client: backchannelClient, accounts: [ALICE_ACCOUNT, BOB] });
  });
  afterAll(() => stack?.stop());

  const valid = (claims: Record<string, unknown> = {}) => ({
    iss: stack.op.issuer,
    aud: 'gatehouse',
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    events: { [EVENT]: {} },
    sub: 'nobody',
    ...claims,
  });

  it("BL-06 the IdP ends its session: the provider's logout token ends that Gatehouse login at once, and only that one", async () => {
    const alice = await signIn(stack);
    const other = await signIn(stack); // another browser, another IdP session
    const sessions = stack.app.app.get(SessionRepository);
    const userId = alice.refreshed.body.user.id;
    const before = (await sessions.listByUser(userId, new Date())).length;
    // The user signs out at the IdP itself (another application, the IdP's account page).
    await completeLogout(`${stack.op.issuer}/session/end`, { jar: alice.opJar });
    expect((await sessions.listByUser(userId, new Date())).length).toBe(before - 1);
    expect((await alice.http.post('/api/auth/refresh')).status).not.toBe(200);
    expect((await other.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('BL-01 a logout token with a broken signature is refused (400) and ends nothing', async () => {
    const victim = await signIn(stack, 'bob');
    const token = await stack.op.sign(valid({ sub: 'bob' }));
    const [h, p, sig] = token.split('.');
    const bytes = Buffer.from(sig, 'base64url');
    bytes[5] ^= 0xff;
    const res = await postLogoutToken(stack, `${h}.${p}.${bytes.toString('base64url')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('LOGOUT_TOKEN_INVALID');
    expect((await victim.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('BL-02 a logout token for another audience or from another issuer is refused', async () => {
    const victim = await signIn(stack, 'bob');
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ sub: 'bob', aud: 'another-client' })))).status).toBe(400);
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ sub: 'bob', iss: 'http://127.0.0.1:1/evil' })))).status).toBe(400);
    expect((await victim.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('BL-03 a logout token is used once: its replay is refused', async () => {
    const token = await stack.op.sign(valid({ sub: 'nobody-signed-in' }));
    expect((await postLogoutToken(stack, token)).status).toBe(200);
    const replay = await postLogoutToken(stack, token);
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe('LOGOUT_TOKEN_INVALID');
  });

  it('BL-04 without the back-channel logout event, or with a nonce (an ID token), it is refused', async () => {
    const victim = await signIn(stack, 'bob');
    const { events: _events, ...noEvents } = valid({ sub: 'bob' });
    expect((await postLogoutToken(stack, await stack.op.sign(noEvents))).status).toBe(400);
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ sub: 'bob', events: { 'http://schemas.openid.net/event/other': {} } })))).status).toBe(
      400,
    );
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ sub: 'bob', events: { [EVENT]: 'yes' } })))).status).toBe(400);
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ sub: 'bob', nonce: 'n' })))).status).toBe(400);
    expect((await victim.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('BL-05 neither sid nor sub, no jti, a stale iat, or no token at all: refused', async () => {
    const { sub: _sub, ...anonymous } = valid();
    expect((await postLogoutToken(stack, await stack.op.sign(anonymous))).status).toBe(400);
    const { jti: _jti, ...noJti } = valid();
    expect((await postLogoutToken(stack, await stack.op.sign(noJti))).status).toBe(400);
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ iat: Math.floor(Date.now() / 1000) - 3600 })))).status).toBe(400);
    expect((await postLogoutToken(stack, null)).status).toBe(400);
  });

  it('BL-07 a valid logout token naming only the subject ends every login of that user from this provider', async () => {
    const one = await signIn(stack, 'bob');
    const two = await signIn(stack, 'bob');
    expect((await postLogoutToken(stack, await stack.op.sign(valid({ sub: 'bob' })))).status).toBe(200);
    expect((await one.http.post('/api/auth/refresh')).status).not.toBe(200);
    expect((await two.http.post('/api/auth/refresh')).status).not.toBe(200);
  });
});

// Token reuse: the login is the vault entry; a back-channel logout deletes it, so the refresh
// fails and the IdP bearer token, still unexpired, is refused from the next request on.
describe('OpenID Back-Channel Logout 1.0 (token reuse)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({
      client: backchannelClient,
      idp: { issueRefreshToken: 'always' },
      env: { OPENID_REUSE_TOKENS: 'true' },
    });
  });
  afterAll(() => stack?.stop());

  it('BL-06 the IdP ends its session: the vault entry goes and the IdP bearer is refused at once', async () => {
    const alice = await signIn(stack);
    const token = alice.refreshed.body.token;
    expect(decodeJwt(token).payload.sid).toEqual(expect.any(String));
    expect((await alice.http.get('/api/user', bearer(token))).status).toBe(200);
    await completeLogout(`${stack.op.issuer}/session/end`, { jar: alice.opJar });
    const { id, sid } = decodeJwt(alice.http.jar.get('openid_user_id')!).payload as { id: string; sid: string };
    expect(await stack.app.app.get(IdpTokenVault).load(id, `openid:${sid}`)).toBeNull();
    expect((await alice.http.get('/api/user', bearer(token))).status).toBe(401);
    expect((await alice.http.post('/api/auth/refresh')).text).toBe('Refresh token not provided');
  });

  it("BL-04 the user's own ID token posted as a logout token is refused (no events, has a nonce)", async () => {
    const alice = await signIn(stack);
    const res = await postLogoutToken(stack, alice.refreshed.body.token);
    expect(res.status).toBe(400);
    expect((await alice.http.get('/api/user', bearer(alice.refreshed.body.token))).status).toBe(200);
  });
});
