import { UserRepository } from '../../../src/storage';
import { samlLogin, startSamlStack, type SamlStack } from '../../support/saml';
import { CLIENT_ORIGIN, FAILURE_URL, sessionUser } from '../../support/social';

const person = (nameId: string, email: string) => ({ nameId, attributes: { email, given_name: nameId } });

describe('SAML accounts go through the shared social-login rules', () => {
  let stack: SamlStack;
  const users = () => stack.app.app.get(UserRepository);

  beforeAll(async () => {
    stack = await startSamlStack(
      [person('verified-1', 'verified@example.com'), person('unverified-1', 'unverified@example.com'), person('outsider-1', 'x@elsewhere.org')],
      {
        REGISTRATION_ALLOWED_DOMAINS: 'example.com',
      },
    );
  }, 60_000);
  afterAll(() => stack?.stop());

  it('links to an existing account whose own address is verified, keeping its role', async () => {
    const local = await users().create({ email: 'verified@example.com', emailVerified: true, provider: 'local', role: 'ADMIN', password: null });
    stack.idp.nextLogin = 'verified-1';
    const login = await samlLogin(stack);
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect((await sessionUser(login.http)).user).toMatchObject({ email: 'verified@example.com', role: 'ADMIN' });
    expect((await users().findById(local.id))?.samlId).toBe('verified-1');
  });

  it('SO-05 claims an account whose own address was never verified: its password dies before the link', async () => {
    const local = await users().create({ email: 'unverified@example.com', emailVerified: false, provider: 'local', password: 'attacker-chosen-hash' });
    stack.idp.nextLogin = 'unverified-1';
    expect((await samlLogin(stack)).callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const claimed = await users().findById(local.id);
    expect(claimed).toMatchObject({ samlId: 'unverified-1', emailVerified: true, password: null });
  });

  it('the registration domain allow-list applies', async () => {
    stack.idp.nextLogin = 'outsider-1';
    expect((await samlLogin(stack)).callback.location).toBe(FAILURE_URL);
    expect(await users().findByProviderId('samlId', 'outsider-1')).toBeNull();
  });
});

describe('SAML with ALLOW_SOCIAL_REGISTRATION=false', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([person('new-1', 'new@example.com')], { ALLOW_SOCIAL_REGISTRATION: 'false' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('creates no account (LibreChat creates SAML users regardless, LibreChat defect D-27)', async () => {
    expect((await samlLogin(stack)).callback.location).toBe(FAILURE_URL);
    expect(await stack.app.app.get(UserRepository).findByEmail('new@example.com')).toBeNull();
  });
});

describe('SAML is off without ALLOW_SOCIAL_LOGIN', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([person('p', 'p@example.com')], { ALLOW_SOCIAL_LOGIN: 'false' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('routes answer 404 and the flag is false', async () => {
    const { HttpClient } = await import('../../support/http');
    const http = new HttpClient(stack.app.url);
    expect((await http.get('/oauth/saml')).status).toBe(404);
    expect((await http.post('/oauth/saml/callback', { form: { SAMLResponse: 'x' } })).status).toBe(404);
    const config = await http.get('/api/config');
    expect(config.body.samlLoginEnabled).toBe(false);
    expect(config.body.loginProviders.map((p: { name: string }) => p.name)).not.toContain('saml');
  });
});
