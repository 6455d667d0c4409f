import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { SoftAuthenticator } from '../../support/webauthn/soft-authenticator';
import { bearer, cookie, refreshWith, signIn, signUp, startAuthApp, type SignedInClient } from '../auth/auth-helpers';
import { enrol, holdClock, passwordStep } from '../two-factor/two-factor-helpers';

const ORIGIN = 'https://chat.example.test';
const RP_ID = 'example.test';
jest.setTimeout(60_000);

describe('passkeys over HTTP (software authenticator)', () => {
  let app: RunningApp;
  let clock: ReturnType<typeof holdClock>;
  let n = 0;
  const email = () => `pk${++n}@example.com`;

  beforeAll(async () => {
    app = await startAuthApp({ WEBAUTHN_RP_ID: RP_ID, WEBAUTHN_ORIGINS: `${ORIGIN},https://auth.example.test`, APP_TITLE: 'Acme Chat' });
    await signUp(app, 'admin@example.com');
  });
  beforeEach(() => {
    clock = holdClock(app, new Date('2031-05-06T07:08:00.000Z'));
  });
  afterEach(() => clock.restore());
  afterAll(() => app.stop());

  async function registerPasskey(client: SignedInClient, authenticator = new SoftAuthenticator(), name = 'Laptop') {
    const options = await client.http.post('/api/auth/passkeys/register/options', { json: {}, ...bearer(client.token) });
    expect(options.status).toBe(200);
    const done = await client.http.post('/api/auth/passkeys/register', {
      json: { name, response: authenticator.create(options.body, { origin: ORIGIN }) },
      ...bearer(client.token),
    });
    return { authenticator, options, done };
  }

  async function signInOptions(http: HttpClient, json: Record<string, unknown> = {}) {
    const res = await http.post('/api/auth/passkeys/sign-in/options', { json });
    expect(res.status).toBe(200);
    return res.body as { challenge: string; rpId: string };
  }

  it('PK-07 registers a passkey (resident key and UV preferred, attestation none) under a random user handle, and lists it', async () => {
    const ada = await signUp(app, email());
    const { options, done } = await registerPasskey(ada);
    expect(options.body).toMatchObject({
      rp: { id: RP_ID, name: 'Acme Chat' },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    const handle = Buffer.from(options.body.user.id, 'base64url');
    expect(handle).toHaveLength(32);
    // Random bytes, not the email or the account id (a random handle may contain any byte, '@' included).
    expect(handle.toString('utf8')).not.toContain(String(ada.user.email));
    expect(handle.toString('hex')).not.toContain(String(ada.user.id));
    expect(options.body.user.id).not.toContain(Buffer.from(String(ada.user.id)).toString('base64url'));
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ name: 'Laptop', flagged: false, transports: ['internal'] });
    clock.advance(1000);
    const second = await registerPasskey(ada, new SoftAuthenticator(), 'Phone');
    expect(second.options.body.user.id).toBe(options.body.user.id);
    expect(second.options.body.excludeCredentials).toHaveLength(1);
    const list = await ada.http.get('/api/auth/passkeys', bearer(ada.token));
    expect(list.body.passkeys.map((p: { name: string }) => p.name)).toEqual(['Laptop', 'Phone']);
  });

  it('PK-14 a passkey alone signs in: {token, user} and the refresh cookie, as after a password sign-in', async () => {
    const address = email();
    const { authenticator } = await registerPasskey(await signUp(app, address));
    const http = new HttpClient(app.url);
    const options = await signInOptions(http);
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'required' });
    expect(options).not.toHaveProperty('allowCredentials');
    const res = await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(options, { origin: ORIGIN }) } });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(address);
    expect(cookie(res, 'refreshToken')?.value).toBeTruthy();
    const me = await http.get('/api/user', bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(address);
  });

  it('PK-01 a challenge is single-use: replaying the answer, or a second answer to the same challenge cookie, is refused', async () => {
    const { authenticator } = await registerPasskey(await signUp(app, email()));
    const http = new HttpClient(app.url);
    const options = await signInOptions(http);
    const sealed = http.jar.get('passkey_challenge');
    expect(sealed).toBeTruthy();
    const answer = authenticator.get(options, { origin: ORIGIN });
    expect((await http.post('/api/auth/passkeys/sign-in', { json: { response: answer } })).status).toBe(200);
    const replay = new HttpClient(app.url);
    replay.jar.set('passkey_challenge', sealed!, '/api/auth');
    const again = await replay.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(options, { origin: ORIGIN }) } });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('PASSKEY_CHALLENGE_INVALID');
  });

  it('PK-03 a challenge is bound to the browser that asked for it: an answer posted without its cookie is refused', async () => {
    const { authenticator } = await registerPasskey(await signUp(app, email()));
    const options = await signInOptions(new HttpClient(app.url));
    const res = await new HttpClient(app.url).post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(options, { origin: ORIGIN }) } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PASSKEY_CHALLENGE_INVALID');
  });

  it('PK-02 a challenge older than five minutes (injected clock) is refused; one just inside is accepted', async () => {
    const { authenticator } = await registerPasskey(await signUp(app, email()));
    const http = new HttpClient(app.url);
    const options = await signInOptions(http);
    clock.advance(5 * 60_000 + 1);
    const late = await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(options, { origin: ORIGIN }) } });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('PASSKEY_CHALLENGE_INVALID');
    const fresh = await signInOptions(http);
    clock.advance(5 * 60_000 - 1000);
    expect((await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(fresh, { origin: ORIGIN }) } })).status).toBe(200);
  });

  it('PK-09 an assertion made for another origin or another RP ID is refused, and so is a registration from another origin', async () => {
    const ada = await signUp(app, email());
    const { authenticator } = await registerPasskey(ada);
    for (const ceremony of [{ origin: 'https://evil.example.net' }, { origin: ORIGIN, rpId: 'evil.example.net' }, { origin: 'http://chat.example.test' }]) {
      const http = new HttpClient(app.url);
      const options = await signInOptions(http);
      const res = await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(options, ceremony) } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('PASSKEY_REJECTED');
    }
    const options = await ada.http.post('/api/auth/passkeys/register/options', { json: {}, ...bearer(ada.token) });
    const phished = await ada.http.post('/api/auth/passkeys/register', {
      json: { response: new SoftAuthenticator().create(options.body, { origin: 'https://evil.example.net' }) },
      ...bearer(ada.token),
    });
    expect(phished.status).toBe(400);
    expect(phished.body.code).toBe('PASSKEY_REGISTRATION_REJECTED');
  });

  it('PK-15 a passwordless sign-in requires user verification', async () => {
    const { authenticator } = await registerPasskey(await signUp(app, email()));
    const http = new HttpClient(app.url);
    const options = await signInOptions(http);
    const res = await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(options, { origin: ORIGIN, userVerified: false }) } });
    expect(res.status).toBe(401);
  });

  it('PK-08 an authenticator that was never registered is refused', async () => {
    const http = new HttpClient(app.url);
    const options = await signInOptions(http);
    const res = await http.post('/api/auth/passkeys/sign-in', { json: { response: new SoftAuthenticator().get(options, { origin: ORIGIN }) } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('PASSKEY_REJECTED');
  });

  it('PK-04 a counter that goes backwards flags the credential (possible clone); it is refused from then on', async () => {
    const ada = await signUp(app, email());
    const { authenticator } = await registerPasskey(ada);
    const http = new HttpClient(app.url);
    expect(
      (await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(await signInOptions(http), { origin: ORIGIN, counter: 10 }) } }))
        .status,
    ).toBe(200);
    const clone = await http.post('/api/auth/passkeys/sign-in', {
      json: { response: authenticator.get(await signInOptions(http), { origin: ORIGIN, counter: 9 }) },
    });
    expect(clone.status).toBe(401);
    const list = await ada.http.get('/api/auth/passkeys', bearer(ada.token));
    expect(list.body.passkeys[0].flagged).toBe(true);
    const genuine = await http.post('/api/auth/passkeys/sign-in', {
      json: { response: authenticator.get(await signInOptions(http), { origin: ORIGIN, counter: 11 }) },
    });
    expect(genuine.status).toBe(401);
  });

  it('PK-13 an email hint binds the ceremony to that account without changing the options', async () => {
    const bob = email();
    await signUp(app, bob);
    const { authenticator } = await registerPasskey(await signUp(app, email()));
    const http = new HttpClient(app.url);
    const forBob = await signInOptions(http, { email: bob });
    expect(forBob).not.toHaveProperty('allowCredentials');
    const res = await http.post('/api/auth/passkeys/sign-in', { json: { response: authenticator.get(forBob, { origin: ORIGIN }) } });
    expect(res.status).toBe(401);
    const unknown = await signInOptions(http, { email: 'nobody@example.com' });
    expect(Object.keys(unknown).sort()).toEqual(Object.keys(forBob).sort());
  });

  it('PK-06 a credential registered to one account cannot be registered to another', async () => {
    const { authenticator } = await registerPasskey(await signUp(app, email()));
    const eve = await signUp(app, email());
    const again = await registerPasskey(eve, authenticator);
    expect(again.done.status).toBe(409);
    expect(again.done.body.code).toBe('PASSKEY_ALREADY_REGISTERED');
  });

  it('PK-11 registering, renaming and removing end the other sessions; PK-12 the last way in cannot be removed', async () => {
    const address = email();
    const ada = await signUp(app, address);
    const laptop = await signIn(app, address);
    const { done } = await registerPasskey(ada);
    expect((await refreshWith(app, laptop.refreshToken)).status).not.toBe(200);
    const phone = await signIn(app, address);
    const renamed = await ada.http.patch(`/api/auth/passkeys/${done.body.id}`, { json: { name: 'Desk' }, ...bearer(ada.token) });
    expect(renamed.body.name).toBe('Desk');
    expect((await refreshWith(app, phone.refreshToken)).status).not.toBe(200);
    // A passkey-only account: no password, no provider identity.
    await app.app.get(UserRepository).update(ada.user.id as string, { password: null });
    const last = await ada.http.delete(`/api/auth/passkeys/${done.body.id}`, bearer(ada.token));
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('LAST_SIGN_IN_METHOD');
    await registerPasskey(ada, new SoftAuthenticator(), 'Spare');
    expect((await ada.http.delete(`/api/auth/passkeys/${done.body.id}`, bearer(ada.token))).status).toBe(200);
    expect((await ada.http.delete(`/api/auth/passkeys/${done.body.id}`, bearer(ada.token))).status).toBe(404);
  });

  it('PK-10 a passkey passes the second step of a 2FA sign-in (verify-temp), once per challenge', async () => {
    const address = email();
    const ada = await signUp(app, address);
    await enrol(ada, clock.now());
    const { authenticator } = await registerPasskey(ada);
    const step = await passwordStep(app, address);
    expect(step.res.body.twoFAPending).toBe(true);
    const options = await step.http.post('/api/auth/passkeys/second-factor/options', { json: { tempToken: step.tempToken } });
    expect(options.status).toBe(200);
    expect(options.body.allowCredentials.map((c: { id: string }) => c.id)).toEqual([authenticator.id]);
    const sealed = step.http.jar.get('passkey_challenge')!;
    const wrongUser = await step.http.post('/api/auth/2fa/verify-temp', {
      json: { tempToken: step.tempToken, passkey: new SoftAuthenticator().get(options.body, { origin: ORIGIN }) },
    });
    expect(wrongUser.status).toBe(401);
    step.http.jar.set('passkey_challenge', sealed, '/api/auth');
    // The challenge was spent by the failed attempt: a right answer to it no longer counts.
    const spent = await step.http.post('/api/auth/2fa/verify-temp', {
      json: { tempToken: step.tempToken, passkey: authenticator.get(options.body, { origin: ORIGIN }) },
    });
    expect(spent.status).toBe(401);
    const fresh = await step.http.post('/api/auth/passkeys/second-factor/options', { json: { tempToken: step.tempToken } });
    const done = await step.http.post('/api/auth/2fa/verify-temp', {
      json: { tempToken: step.tempToken, passkey: authenticator.get(fresh.body, { origin: ORIGIN }) },
    });
    expect(done.status).toBe(200);
    expect(done.body.user.email).toBe(address);
    expect(cookie(done, 'refreshToken')?.value).toBeTruthy();
    const noToken = await new HttpClient(app.url).post('/api/auth/passkeys/second-factor/options', { json: { tempToken: 'nope' } });
    expect(noToken.status).toBe(401);
  });
});
