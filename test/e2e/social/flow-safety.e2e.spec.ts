import { LoginGate } from '../../../src/social';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import {
  CLIENT_ORIGIN,
  FAILURE_URL,
  fakeDiscord,
  fakeGoogle,
  providerEnv,
  sessionUser,
  socialLogin,
  startSocialApp,
  type FakeOAuthServer,
} from '../../support/social';

const ALICE = { sub: 'g-alice', name: 'Alice', given_name: 'Alice', email: 'alice@example.test', email_verified: true };

/** Protocol-level failures: every one ends on the client's failure page, never a 500 or a session. */
describe('social login flow safety', () => {
  let google: FakeOAuthServer;
  let discord: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    google = await fakeGoogle({ alice: ALICE });
    discord = await fakeDiscord({ alice: { id: '1', username: 'alice', discriminator: '0', avatar: null, email: 'alice@example.test', verified: true } });
    app = await startSocialApp({ ...providerEnv('GOOGLE', google), ...providerEnv('DISCORD', discord) });
  });
  afterAll(async () => {
    await app?.stop();
    await google?.stop();
    await discord?.stop();
  });

  const noSession = (res: { setCookies: { name: string; value: string }[] }) =>
    expect(res.setCookies.filter((c) => c.name === 'refreshToken' && c.value !== '')).toEqual([]);

  it('error=access_denied from the provider: failure page, no session (OC-10)', async () => {
    google.denyNext = true;
    const { redirectBack, callback } = await socialLogin(app, google, 'google');
    expect(redirectBack.searchParams.get('error')).toBe('access_denied');
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(FAILURE_URL);
    noSession(callback);
  });

  it('login_required (or any other error) is handled the same way (OC-10)', async () => {
    const http = new HttpClient(app.url);
    const res = await http.get('/oauth/google/callback?error=login_required&state=whatever');
    expect(res.status).toBe(302);
    expect(res.location).toBe(FAILURE_URL);
  });

  it('state replayed: the second use of the same callback fails (OC-01)', async () => {
    const first = await socialLogin(app, google, 'google');
    expect(first.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    // Replaying the same callback URL with the transaction cookie a copy of the first request had.
    const replay = await first.http.get(first.redirectBack.pathname + first.redirectBack.search, {
      headers: { cookie: first.start.setCookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(replay.status).toBe(302);
    expect(replay.location).toBe(FAILURE_URL);
    noSession(replay);
  });

  it('state mismatch: a callback whose state was not started in this browser fails (OC-01)', async () => {
    // The attacker starts a login in their own browser and sends the victim the callback URL.
    const attacker = await new HttpClient(app.url).get('/oauth/google');
    const authorize = new URL(attacker.location!);
    const atProvider = await new HttpClient(google.url).get(authorize.pathname + authorize.search);
    const back = new URL(atProvider.location!);
    const victim = new HttpClient(app.url);
    const res = await victim.get(back.pathname + back.search);
    expect(res.location).toBe(FAILURE_URL);
    noSession(res);
  });

  it('state altered: same browser, wrong state value (OC-01)', async () => {
    const http = new HttpClient(app.url);
    await http.get('/oauth/google');
    const res = await http.get('/oauth/google/callback?code=anything&state=forged-state-value');
    expect(res.location).toBe(FAILURE_URL);
    const missing = await http.get('/oauth/google/callback?code=anything');
    expect(missing.location).toBe(FAILURE_URL);
  });

  it("a Google transaction cannot be finished on Discord's callback (OC-06)", async () => {
    const http = new HttpClient(app.url);
    const start = await http.get('/oauth/google');
    const authorize = new URL(start.location!);
    const atProvider = await new HttpClient(google.url).get(authorize.pathname + authorize.search);
    const back = new URL(atProvider.location!);
    const res = await http.get(`/oauth/discord/callback${back.search}`);
    expect(res.location).toBe(FAILURE_URL);
    noSession(res);
  });

  it('token endpoint 500: failure page with reason=provider_unavailable, no 500', async () => {
    google.tokenFailureStatus = 500;
    try {
      const { callback } = await socialLogin(app, google, 'google');
      expect(callback.status).toBe(302);
      expect(callback.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
      noSession(callback);
    } finally {
      google.tokenFailureStatus = null;
    }
  });

  it('a provider that is down at the token step (connection refused) is handled the same way', async () => {
    const http = new HttpClient(app.url);
    const start = await http.get('/oauth/google');
    const authorize = new URL(start.location!);
    const back = new URL((await new HttpClient(google.url).get(authorize.pathname + authorize.search)).location!);
    await google.stop();
    try {
      const res = await http.get(back.pathname + back.search);
      expect(res.status).toBe(302);
      expect(res.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
    } finally {
      const port = new URL(google.url).port;
      await google.start(Number(port));
    }
  });

  it.each(['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)'])(
    'open-redirect attempt %s in returnTo/redirect_uri/redirect parameters is ignored (OC-09)',
    async (evil) => {
      const http = new HttpClient(app.url);
      const q = new URLSearchParams({ returnTo: evil, redirect_to: evil, redirect: evil, redirect_uri: evil, callbackURL: evil }).toString();
      const start = await http.get(`/oauth/google?${q}`, { headers: { host: 'evil.example' } });
      const authorize = new URL(start.location!);
      expect(authorize.origin).toBe(google.url);
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/oauth/google/callback`);
      const back = new URL((await new HttpClient(google.url).get(authorize.pathname + authorize.search)).location!);
      const callback = await http.get(`${back.pathname}${back.search}&${q}`);
      expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
      expect((await sessionUser(http)).status).toBe(200);
    },
  );

  it('the login gate (ban seam) refusing the account: failure page, no session', async () => {
    const gate = app.app.get(LoginGate);
    const original = gate.refusal.bind(gate);
    gate.refusal = async () => 'banned';
    try {
      const { callback } = await socialLogin(app, google, 'google');
      expect(callback.location).toBe(`${FAILURE_URL}&reason=banned`);
      noSession(callback);
    } finally {
      gate.refusal = original;
    }
  });

  it('unknown provider: 404, not a redirect anywhere', async () => {
    const res = await new HttpClient(app.url).get('/oauth/myspace');
    expect(res.status).toBe(404);
  });
});
