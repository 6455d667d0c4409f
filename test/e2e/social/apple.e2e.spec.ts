import { OutboundCalls, type OutboundCall } from '../../../src/common/outbound-calls';
import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient, type HttpResponse } from '../../support/http';
import { startForwardProxy, type ForwardProxy } from '../../support/proxy/forward-proxy';
import { CLIENT_ORIGIN, FAILURE_URL, FakeApple, formPostFields, sessionUser, startSocialApp, type IdTokenFault } from '../../support/social';

const APPLE_ORIGIN = 'https://appleid.apple.com';

interface AppleRound {
  http: HttpClient;
  start: HttpResponse;
  authorization: URL;
  fields: Record<string, string>;
  callback: HttpResponse;
}

/** Button → fake Apple's form_post page → the browser's cross-site POST back to the app. */
async function appleLogin(
  app: RunningApp,
  apple: FakeApple,
  login: string,
  options: { http?: HttpClient; tamper?: (fields: Record<string, string>) => void } = {},
): Promise<AppleRound> {
  const http = options.http ?? new HttpClient(app.url);
  apple.nextLogin = login;
  const start = await http.get('/oauth/apple');
  if (start.status !== 302 || !start.location?.startsWith(apple.url)) throw new Error(`/oauth/apple answered ${start.status} → ${start.location}`);
  const authorization = new URL(start.location);
  const page = await new HttpClient(apple.url).get(authorization.pathname + authorization.search);
  const { action, fields } = formPostFields(page.text);
  options.tamper?.(fields);
  // What a browser sends on a cross-site form POST.
  const callback = await http.post(new URL(action).pathname, { form: fields, headers: { origin: APPLE_ORIGIN, 'sec-fetch-site': 'cross-site' } });
  return { http, start, authorization, fields, callback };
}

describe('Sign in with Apple against a fake Apple (form_post, ES256 client secret, JWKS) (issue 20)', () => {
  let apple: FakeApple;
  let app: RunningApp;
  const users = () => app.app.get(UserRepository);

  beforeAll(async () => {
    apple = await new FakeApple({
      ada: { sub: '000123.ada0a1b2c3d4.1234', email: 'ada@example.test', firstName: 'Ada', lastName: 'Lovelace' },
      relay: { sub: '000456.relay5e6f7a8b.5678', email: 'x7k2m9qz4p@privaterelay.appleid.com', isPrivateEmail: true, firstName: 'Hidden', lastName: 'Person' },
      unverified: { sub: '000789.unv.9999', email: 'linkme@example.test', emailVerified: false },
      verified: { sub: '000790.ver.9999', email: 'verified-local@example.test' },
      hostile: { sub: '000999.hostile.0001', email: 'hostile@example.test' },
    }).start();
    app = await startSocialApp(apple.env());
  });
  afterAll(async () => {
    await app?.stop();
    await apple?.stop();
  });

  it('AP-01 /api/config: appleLoginEnabled and a loginProviders entry (the sign-in page draws its button from it)', async () => {
    const res = await new HttpClient(app.url).get('/api/config');
    expect(res.body).toMatchObject({ appleLoginEnabled: true, socialLoginEnabled: true });
    expect(res.body.loginProviders).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'apple', label: 'Apple', scopes: ['name', 'email'], loginPath: '/oauth/apple' })]),
    );
  });

  it('AP-01 first sign-in: form_post request with state and nonce, ES256 client secret accepted, account created with the name Apple sent once', async () => {
    // The token call is reported for the provider-call metric (issue 22), by purpose, never by URL.
    const reported: OutboundCall[] = [];
    app.app.get(OutboundCalls).subscribe((call) => reported.push(call));
    const round = await appleLogin(app, apple, 'ada');
    expect(reported).toEqual([expect.objectContaining({ provider: 'apple', endpoint: 'token', outcome: 'ok', seconds: expect.any(Number) })]);
    const q = round.authorization.searchParams;
    expect(round.authorization.pathname).toBe('/auth/authorize');
    expect(Object.fromEntries(q)).toMatchObject({
      client_id: apple.clientId,
      redirect_uri: `${app.url}/oauth/apple/callback`,
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'name email',
    });
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(q.get('nonce')!.length).toBeGreaterThanOrEqual(43);
    expect(round.fields.user).toBeDefined();
    expect(apple.lastTokenRefusal).toBeNull();
    expect(round.callback.status).toBe(302);
    expect(round.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(round.http);
    expect(session.user).toMatchObject({ email: 'ada@example.test', provider: 'apple', name: 'Ada Lovelace', username: 'ada', emailVerified: true });
    expect((await users().findByEmail('ada@example.test'))?.appleId).toBe('000123.ada0a1b2c3d4.1234');
    // The client secret is a short-lived ES256 JWT naming the team, the key and the Services ID.
    const secret = apple.tokenRequests.at(-1)!.get('client_secret')!;
    const [header, payload] = secret
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256', kid: apple.keyId });
    expect(payload).toMatchObject({ iss: apple.teamId, sub: apple.clientId, aud: APPLE_ORIGIN });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(600);
  });

  it('AP-01 later sign-ins (no user field) reach the same account and keep the name', async () => {
    const first = await users().findByEmail('ada@example.test');
    const round = await appleLogin(app, apple, 'ada');
    expect(round.fields.user).toBeUndefined();
    expect(round.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(round.http);
    expect(session.user).toMatchObject({ _id: first!.id, name: 'Ada Lovelace' });
  });

  it('AP-05 the state cookie is SameSite=None; Secure; HttpOnly, scoped to the callback path; the session cookie stays Strict', async () => {
    const http = new HttpClient(app.url);
    const start = await http.get('/oauth/apple');
    const tx = start.setCookies.find((c) => c.name.startsWith('oidc_tx_'))!;
    expect(tx).toMatchObject({ httpOnly: true, secure: true, path: '/oauth/apple/callback' });
    expect(tx.sameSite?.toLowerCase()).toBe('none');
    const round = await appleLogin(app, apple, 'ada');
    const refresh = round.callback.setCookies.find((c) => c.name === 'refreshToken')!;
    expect(refresh.sameSite?.toLowerCase()).toBe('strict');
    expect(refresh.path).toBe('/');
    // The transaction cookie is cleared with the same attributes it was set with.
    const cleared = round.callback.setCookies.find((c) => c.name.startsWith('oidc_tx_'))!;
    expect(cleared).toMatchObject({ path: '/oauth/apple/callback', secure: true });
    // Other providers' and OpenID's transaction cookies are untouched: still Lax on /oauth (see google.e2e).
  });

  it('AP-06 a private-relay address is kept as the (verified) email; the username falls back to user_<sub>', async () => {
    const round = await appleLogin(app, apple, 'relay');
    expect(round.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(round.http);
    expect(session.user).toMatchObject({
      email: 'x7k2m9qz4p@privaterelay.appleid.com',
      emailVerified: true,
      username: 'user_000456.relay5e6f7a8b.5678',
      name: 'Hidden Person',
    });
  });

  it('AP-04 the unsigned user field cannot choose the email; only the name is taken from it', async () => {
    apple.nextLogin = 'hostile';
    const round = await appleLogin(app, apple, 'hostile', {
      tamper: (f) => (f.user = JSON.stringify({ name: { firstName: 'Mallory', lastName: '' }, email: 'ada@example.test' })),
    });
    expect(round.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(round.http);
    expect(session.user).toMatchObject({ email: 'hostile@example.test', name: 'Mallory' });
  });

  it('AP-07 linking follows the shared rule: verified at Apple and locally → linked; unverified at Apple → refused', async () => {
    const local = await users().create({ email: 'verified-local@example.test', emailVerified: true, password: 'hash' });
    const linked = await appleLogin(app, apple, 'verified');
    expect(linked.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect((await users().findById(local.id))?.appleId).toBe('000790.ver.9999');
    await users().create({ email: 'linkme@example.test', emailVerified: true, password: 'hash' });
    const refused = await appleLogin(app, apple, 'unverified');
    expect(refused.callback.location).toBe(FAILURE_URL);
    expect((await users().findByEmail('linkme@example.test'))?.appleId).toBeNull();
  });

  it.each<[IdTokenFault]>([['wrong-iss'], ['wrong-aud'], ['wrong-nonce'], ['expired'], ['alg-none'], ['hs256'], ['unknown-kid'], ['foreign-key']])(
    'AP-02 an ID token with %s is refused: failure redirect, no session',
    async (fault) => {
      apple.idTokenFault = fault;
      const round = await appleLogin(app, apple, 'hostile');
      expect(round.callback.location).toBe(FAILURE_URL);
      expect(round.callback.setCookies.find((c) => c.name === 'refreshToken')).toBeUndefined();
      expect((await sessionUser(round.http)).user).toBeUndefined();
    },
  );

  it('AP-03 a replayed, foreign-browser, or GET callback is refused', async () => {
    const round = await appleLogin(app, apple, 'ada');
    expect(round.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const replay = await round.http.post('/oauth/apple/callback', { form: round.fields });
    expect(replay.location).toBe(FAILURE_URL);
    // Another browser (no transaction cookie) posting a fresh code and state: login CSRF refused.
    const attacker = new HttpClient(app.url);
    apple.nextLogin = 'hostile';
    const start = await attacker.get('/oauth/apple');
    const page = await new HttpClient(apple.url).get(new URL(start.location!).pathname + new URL(start.location!).search);
    const { fields } = formPostFields(page.text);
    const victim = new HttpClient(app.url);
    const forced = await victim.post('/oauth/apple/callback', { form: fields });
    expect(forced.location).toBe(FAILURE_URL);
    expect(forced.setCookies.find((c) => c.name === 'refreshToken')).toBeUndefined();
    const get = await new HttpClient(app.url).get(`/oauth/apple/callback?code=x&state=${encodeURIComponent(fields.state)}`);
    expect(get.location).toBe(FAILURE_URL);
  });

  it('AP-08 the user cancelling is a plain failure; Apple down is reason=provider_unavailable', async () => {
    apple.denyNext = true;
    const cancelled = await appleLogin(app, apple, 'ada');
    expect(cancelled.fields.error).toBe('user_cancelled_authorize');
    expect(cancelled.callback.location).toBe(FAILURE_URL);
    apple.tokenFailureStatus = 503;
    try {
      const down = await appleLogin(app, apple, 'ada');
      expect(down.callback.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
    } finally {
      apple.tokenFailureStatus = null;
    }
  });

  it('AP-09 POST callbacks exist only for form_post providers; an unknown provider is 404', async () => {
    expect((await new HttpClient(app.url).post('/oauth/google/callback', { form: { code: 'x', state: 'y' } })).status).toBe(404);
    expect((await new HttpClient(app.url).post('/oauth/nothing/callback', { form: {} })).status).toBe(404);
  });
});

// PROXY applies to Apple like to every provider: its token and key endpoints are reached only
// through the forward proxy (a real one on loopback, which logs what it carried).
describe('Sign in with Apple through the outbound PROXY (issue 19)', () => {
  let proxy: ForwardProxy;
  let apple: FakeApple;
  let app: RunningApp;

  beforeAll(async () => {
    proxy = await startForwardProxy();
    apple = await new FakeApple({ ada: { sub: '000123.ada0a1b2c3d4.1234', email: 'ada@example.test', firstName: 'Ada', lastName: 'Lovelace' } }).start();
    app = await startSocialApp({ ...apple.env(), PROXY: proxy.url });
  });
  afterAll(async () => {
    await app?.stop();
    await apple?.stop();
    await proxy?.stop();
  });

  it('PX-05 the code exchange and the JWKS fetch at Apple go through the proxy', async () => {
    const round = await appleLogin(app, apple, 'ada');
    expect(round.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const host = new URL(apple.url).host;
    const seen = proxy.log.requests.filter((r) => r.target === host).map((r) => `${r.method} ${r.path}`);
    expect(seen).toEqual(expect.arrayContaining(['POST /auth/token', 'GET /auth/keys']));
  });
});
