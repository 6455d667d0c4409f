import { JwksKeysService } from '../../../src/openid';
import { startApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import type { OidcFaults } from '../../support/oidc';
import { browserLogin, cookiesSet, CLIENT_ORIGIN, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const SUCCESS = `${CLIENT_ORIGIN}/`;

/** Hostile or broken provider responses: each refused with no session. */
describe('OpenID ID token verification against a hostile provider', () => {
  let stack: OpenIdStack;
  const jwksFetches = () => stack.app.app.get(JwksKeysService).fetchCount;

  beforeAll(async () => {
    stack = await startOpenIdStack();
    // Warm up: discovery and the JWKS are fetched once by a normal login.
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
  });
  afterEach(() => stack.op.setFaults({}));
  afterAll(() => stack?.stop());

  const cases: Array<[string, OidcFaults['tamper']]> = [
    ['CS-08 wrong signature', 'bad-signature'],
    ['CS-02 JW-09 wrong iss', 'wrong-iss'],
    ['CS-04 JW-08 wrong aud', 'wrong-aud'],
    ['JW-08 several audiences without azp', 'extra-aud-no-azp'],
    ['OC-04 CS-09 missing nonce', 'no-nonce'],
    ['OC-04 CS-09 wrong nonce', 'wrong-nonce'],
    ['JW-07 expired id_token', 'expired'],
    ['JW-07 iat in the future', 'future-iat'],
    ['CS-03 missing iat', 'no-iat'],
    ['JW-01 CS-07 alg none', 'alg-none'],
    ['JW-02 HS256 MAC keyed with the RSA public key', 'hs256-with-public-key'],
    ['JW-05 kid not in the JWKS', 'unknown-kid'],
  ];

  it.each(cases)('%s → failure redirect, no session', async (_name, tamper) => {
    await stack.op.setFaults({ tamper });
    const { callback, http } = await browserLogin(stack);
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(FAILURE_URL);
    expect(cookiesSet(callback)).not.toContain('refreshToken');
    const refresh = await http.post('/api/auth/refresh');
    expect(refresh.text).toBe('Refresh token not provided');
  });

  it('CS-10 UserInfo with another sub → refused', async () => {
    await stack.op.setFaults({ userinfoSub: 'mallory' });
    const { callback } = await browserLogin(stack);
    expect(callback.location).toBe(FAILURE_URL);
    expect(cookiesSet(callback)).not.toContain('refreshToken');
  });

  it('OC-02 a code redeemed without its PKCE verifier fails at the token endpoint', async () => {
    // The attacker's browser has its own transaction (own verifier) and injects the victim's code.
    const victim = new HttpClient(stack.app.url);
    const attacker = new HttpClient(stack.app.url);
    const victimStart = await victim.get('/oauth/openid');
    const attackerStart = await attacker.get('/oauth/openid');
    const { completeLogin } = await import('../../support/oidc');
    const victimBack = await completeLogin(victimStart.location!, { login: 'alice' });
    const attackerState = new URL(attackerStart.location!).searchParams.get('state')!;
    const injected = await attacker.get(
      `/oauth/openid/callback?code=${victimBack.searchParams.get('code')}&state=${attackerState}&iss=${encodeURIComponent(stack.op.issuer)}`,
    );
    expect(injected.location).toBe(FAILURE_URL);
    expect(cookiesSet(injected)).not.toContain('refreshToken');
  });

  it('CS-13 key rotation at the provider → exactly one JWKS refetch, then success', async () => {
    const before = jwksFetches();
    await stack.op.rotateKeys();
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
    expect(jwksFetches()).toBe(before + 1);
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
    expect(jwksFetches()).toBe(before + 1);
  });

  it('RL-06 JWKS endpoint down: a cached key still verifies; an unknown key is refused', async () => {
    await stack.op.setFaults({ jwks: 503 });
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
    await stack.op.setFaults({ jwks: 503, tamper: 'unknown-kid' });
    const refused = await browserLogin(stack);
    // Refused with the reason "keys unavailable" (RL-06: never accept-all, never a placeholder key).
    expect(refused.callback.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
    expect(cookiesSet(refused.callback)).not.toContain('refreshToken');
  });
});

describe('OPENID_JWKS_URL_CACHE_ENABLED=false', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack({ env: { OPENID_JWKS_URL_CACHE_ENABLED: 'false' } });
  });
  afterAll(() => stack?.stop());

  it('fetches the JWKS for every verification, and a JWKS outage then fails the login', async () => {
    const fetches = () => stack.app.app.get(JwksKeysService).fetchCount;
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
    const before = fetches();
    expect((await browserLogin(stack)).callback.location).toBe(SUCCESS);
    expect(fetches()).toBe(before + 1);
    await stack.op.setFaults({ jwks: 503 });
    expect((await browserLogin(stack)).callback.location).toBe(`${FAILURE_URL}&reason=provider_unavailable`);
  });
});

describe('OpenID discovery issuer check (OC-07, CS-12)', () => {
  let stack: OpenIdStack;
  beforeAll(async () => {
    stack = await startOpenIdStack();
  });
  afterAll(() => stack?.stop());

  it.each([
    ['a trailing slash the provider does not publish', (issuer: string) => `${issuer}/`],
    ['another path', (issuer: string) => `${issuer}/tenant`],
  ])('refuses %s: /oauth/openid redirects with reason=configuration', async (_name, input) => {
    const app = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      OPENID_CLIENT_ID: 'gatehouse',
      OPENID_CLIENT_SECRET: 'gatehouse-secret',
      OPENID_ISSUER: input(stack.op.issuer),
      DOMAIN_CLIENT: CLIENT_ORIGIN,
    });
    try {
      const res = await new HttpClient(app.url).get('/oauth/openid');
      expect(res.status).toBe(302);
      const url = new URL(res.location!);
      expect(url.origin + url.pathname).toBe(`${CLIENT_ORIGIN}/login`);
      expect(url.searchParams.get('error')).toBe('auth_failed');
      // The other path has no discovery document at all (404) — both are refused before any redirect to the IdP.
      expect(['configuration', 'provider_unavailable']).toContain(url.searchParams.get('reason'));
    } finally {
      await app.stop();
    }
  });
});
