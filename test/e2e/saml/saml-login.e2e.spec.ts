import { HttpClient } from '../../support/http';
import { importSpMetadata, samlLogin, startSamlStack, SP_ENTITY_ID, type SamlStack } from '../../support/saml';
import { CLIENT_ORIGIN, FAILURE_URL, sessionUser } from '../../support/social';

const ADA = {
  nameId: 'ada-7f3a',
  attributes: { email: 'Ada@Example.com', given_name: 'Ada', family_name: 'Lovelace', username: 'ada', picture: 'https://img.example.com/ada.png' },
};
const GRACE = { nameId: 'grace-01', attributes: { mail: 'grace@example.com', displayName: 'Grace Hopper', uid: ['grace', 'gh'] } };

describe('SAML sign-in against a real IdP (samlify on loopback)', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([ADA, GRACE]);
  }, 60_000);
  afterAll(() => stack?.stop());

  it('GET /oauth/saml redirects to the entry point with a deflated AuthnRequest for our entity and callback', async () => {
    const http = new HttpClient(stack.app.url);
    const start = await http.get('/oauth/saml');
    expect(start.status).toBe(302);
    expect(start.location).toMatch(new RegExp(`^${stack.idp.entryPoint}\\?SAMLRequest=`));
    // The request ID rides in a sealed cookie of its own, scoped to the SAML routes.
    const cookie = start.setCookies.find((c) => c.name.startsWith('saml_tx_'));
    expect(cookie).toMatchObject({ httpOnly: true, path: '/oauth/saml' });
    const page = await new HttpClient(stack.idp.url).get(new URL(start.location!).pathname + new URL(start.location!).search);
    expect(page.status).toBe(200);
    const request = stack.idp.requests.at(-1)!;
    expect(request).toMatchObject({ issuer: SP_ENTITY_ID, acsUrl: `${stack.app.url}/oauth/saml/callback`, destination: stack.idp.entryPoint });
    expect(request.id).toMatch(/^_[0-9a-f]{48}$/);
  });

  it('a signed assertion signs the person in: account created with samlId = NameID and the mapped claims', async () => {
    stack.idp.nextLogin = ADA.nameId;
    const login = await samlLogin(stack);
    expect(login.callback.status).toBe(302);
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const { status, user } = await sessionUser(login.http);
    expect(status).toBe(200);
    expect(user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      username: 'ada',
      provider: 'saml',
      emailVerified: true,
      avatar: 'https://img.example.com/ada.png',
    });
    const users = stack.app.app.get((await import('../../../src/storage')).UserRepository);
    expect((await users.findByEmail('ada@example.com'))?.samlId).toBe(ADA.nameId);
  });

  it('a returning person reaches the same account by NameID', async () => {
    stack.idp.nextLogin = ADA.nameId;
    const first = await sessionUser((await samlLogin(stack)).http);
    const second = await sessionUser((await samlLogin(stack)).http);
    expect(second.user?.id ?? second.user?._id).toBe(first.user?.id ?? first.user?._id);
  });

  it('/api/config publishes the SAML button (LibreChat fields and loginProviders)', async () => {
    const res = await new HttpClient(stack.app.url).get('/api/config');
    expect(res.body).toMatchObject({ samlLoginEnabled: true, samlLabel: 'Continue with SAML', samlImageUrl: '' });
    expect(res.body.loginProviders).toContainEqual(expect.objectContaining({ name: 'saml', label: 'Continue with SAML', loginPath: '/oauth/saml' }));
    expect(res.body.socialLogins).toContain('saml');
  });

  it('GET /oauth/saml/metadata publishes SP metadata the IdP library can import', async () => {
    const res = await new HttpClient(stack.app.url).get('/oauth/saml/metadata');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/samlmetadata\+xml/);
    const imported = importSpMetadata(res.text);
    expect(imported.entityId).toBe(SP_ENTITY_ID);
    expect(imported.acsUrl).toBe(`${stack.app.url}/oauth/saml/callback`);
    expect(imported.wantAssertionsSigned).toBe(true);
  });

  it('SA-12 a GET on the callback is not a SAML response: failure redirect', async () => {
    const res = await new HttpClient(stack.app.url).get('/oauth/saml/callback?SAMLResponse=x');
    expect(res.status).toBe(302);
    expect(res.location).toBe(FAILURE_URL);
  });
});

describe('SAML claim mapping variables', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([GRACE], {
      SAML_EMAIL_CLAIM: 'mail',
      SAML_NAME_CLAIM: 'displayName',
      SAML_USERNAME_CLAIM: 'uid',
      SAML_BUTTON_LABEL: 'Sign in with Corp SSO',
      SAML_IMAGE_URL: 'https://corp.example.com/sso.svg',
    });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('SAML_EMAIL_CLAIM, SAML_NAME_CLAIM and SAML_USERNAME_CLAIM pick the attributes (a list joined with _)', async () => {
    const login = await samlLogin(stack);
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const { user } = await sessionUser(login.http);
    expect(user).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper', username: 'grace_gh', provider: 'saml' });
  });

  it('label and image reach /api/config', async () => {
    const res = await new HttpClient(stack.app.url).get('/api/config');
    expect(res.body).toMatchObject({ samlLabel: 'Sign in with Corp SSO', samlImageUrl: 'https://corp.example.com/sso.svg' });
    expect(res.body.loginProviders).toContainEqual(
      expect.objectContaining({ name: 'saml', label: 'Sign in with Corp SSO', iconUrl: 'https://corp.example.com/sso.svg' }),
    );
  });
});
