import { UserRepository } from '../../../src/storage';
import { HttpClient } from '../../support/http';
import { generateKeyPair, postResponse, responseFromPage, samlLogin, startSamlStack, type IssueOptions, type SamlStack } from '../../support/saml';
import { CLIENT_ORIGIN, FAILURE_URL, sessionUser } from '../../support/social';

const ADA = { nameId: 'ada-7f3a', attributes: { email: 'ada@example.com', given_name: 'Ada' } };
const MALLORY_ID = 'mallory-666';
const SUCCESS = `${CLIENT_ORIGIN}/`;

/** The signed <saml:Assertion> element of a response, as issued. */
function assertionOf(xml: string): string {
  const match = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml);
  if (!match) throw new Error('no assertion in the response');
  return match[0];
}

/** A copy of the assertion that names Mallory instead, without its signature. */
function evilCopy(assertion: string): string {
  return assertion
    .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
    .replace(/ ID="[^"]+"/, ' ID="_evil"')
    .replace(`>${ADA.nameId}<`, `>${MALLORY_ID}<`)
    .replace('ada@example.com', 'mallory@example.com');
}

describe('SAML: hostile and broken responses are refused (assertion signing, the default)', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([ADA]);
  }, 60_000);
  afterAll(() => stack?.stop());
  beforeEach(() => {
    stack.idp.nextLogin = ADA.nameId;
  });

  async function refusedWith(options: IssueOptions = {}, alter?: (xml: string) => string) {
    stack.idp.next = options;
    const login = await samlLogin(stack, { alter });
    expect(login.callback.status).toBe(302);
    expect(login.callback.location).toBe(FAILURE_URL);
    expect(login.callback.setCookies.find((c) => c.name === 'refreshToken' && c.value)).toBeUndefined();
    expect((await sessionUser(login.http)).token).toBeUndefined();
    return login;
  }

  async function noMallory() {
    expect(await stack.app.app.get(UserRepository).findByProviderId('samlId', MALLORY_ID)).toBeNull();
    expect(await stack.app.app.get(UserRepository).findByEmail('mallory@example.com')).toBeNull();
  }

  it('control: the untouched response signs in', async () => {
    expect((await samlLogin(stack)).callback.location).toBe(SUCCESS);
  });

  it('SA-01 a response signed by another key (not SAML_CERT) is refused', async () => {
    await refusedWith({ keyPair: await generateKeyPair('Impostor IdP') });
  });

  it('SA-02 a signed assertion altered after signing (NameID and email) is refused', async () => {
    await refusedWith({}, (xml) => xml.replace(`>${ADA.nameId}<`, `>${MALLORY_ID}<`).replace('ada@example.com', 'mallory@example.com'));
    await noMallory();
  });

  it('SA-03 signature wrapping: an unsigned assertion around the signed one is refused', async () => {
    await refusedWith({}, (xml) => {
      const signed = assertionOf(xml);
      return xml.replace(signed, evilCopy(signed).replace('</saml:Issuer>', `</saml:Issuer>${signed}`));
    });
    await noMallory();
  });

  it('SA-03 signature wrapping: an unsigned assertion next to the signed one is refused', async () => {
    await refusedWith({}, (xml) => {
      const signed = assertionOf(xml);
      return xml.replace(signed, `${evilCopy(signed)}${signed}`);
    });
    await noMallory();
  });

  it('SA-03 signature wrapping: the signed assertion hidden in Extensions, an unsigned one in its place, is refused', async () => {
    await refusedWith({}, (xml) => {
      const signed = assertionOf(xml);
      return xml.replace(signed, evilCopy(signed)).replace('<samlp:Status>', `<samlp:Extensions>${signed}</samlp:Extensions><samlp:Status>`);
    });
    await noMallory();
  });

  it('SA-04 an InResponseTo we never sent is refused, and so is an unsolicited response without one', async () => {
    await refusedWith({ inResponseTo: '_0123456789abcdef0123456789abcdef0123456789abcdef' });
    await refusedWith({ inResponseTo: null });
  });

  it('SA-05 a response to a request made in another browser (login CSRF) is refused; the requester can still use it', async () => {
    const attacker = new HttpClient(stack.app.url);
    const start = await attacker.get('/oauth/saml');
    const sso = new URL(start.location!);
    const xml = responseFromPage((await new HttpClient(stack.idp.url).get(sso.pathname + sso.search)).text);
    const victim = new HttpClient(stack.app.url);
    const planted = await postResponse(victim, xml);
    expect(planted.location).toBe(FAILURE_URL);
    expect((await sessionUser(victim)).token).toBeUndefined();
    // Refused for the missing browser binding, not for the response itself.
    expect((await postResponse(attacker, xml)).location).toBe(SUCCESS);
  });

  it('SA-06 an expired assertion is refused, one from the future too; a few seconds of clock skew are tolerated', async () => {
    await refusedWith({ timeShiftMs: -10 * 60_000 });
    await refusedWith({ timeShiftMs: 10 * 60_000 });
    stack.idp.next = { timeShiftMs: 30_000 };
    expect((await samlLogin(stack)).callback.location).toBe(SUCCESS);
  });

  it('SA-07 an assertion for another audience is refused', async () => {
    await refusedWith({ audience: 'https://other-sp.example/saml' });
  });

  it('SA-07 an assertion whose Recipient is another service is refused', async () => {
    await refusedWith({ recipient: 'https://other-sp.example/acs' });
  });

  it('SA-07 a response whose Destination is another service is refused', async () => {
    await refusedWith({ destination: 'https://other-sp.example/acs' });
  });

  it('SA-08 a replayed response is refused, even with the request cookie put back', async () => {
    const http = new HttpClient(stack.app.url);
    const start = await http.get('/oauth/saml');
    const cookie = start.setCookies.find((c) => c.name.startsWith('saml_tx_'))!;
    const sso = new URL(start.location!);
    const xml = responseFromPage((await new HttpClient(stack.idp.url).get(sso.pathname + sso.search)).text);
    expect((await postResponse(http, xml)).location).toBe(SUCCESS);
    const replayer = new HttpClient(stack.app.url);
    replayer.jar.set(cookie.name, cookie.value, '/oauth/saml');
    expect((await postResponse(replayer, xml)).location).toBe(FAILURE_URL);
    expect((await sessionUser(replayer)).token).toBeUndefined();
  });

  it('SA-09 a response signed with RSA-SHA1 (algorithm downgrade) is refused', async () => {
    await refusedWith({ signatureAlgorithm: 'rsa-sha1' });
  });

  it('SA-09 an unsigned response is refused', async () => {
    await refusedWith({}, (xml) => xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, ''));
  });

  it('SA-09 a signature whose algorithm is rewritten to HMAC or to an unknown one is refused', async () => {
    await refusedWith({}, (xml) => xml.replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'));
    await refusedWith({}, (xml) => xml.replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'none'));
  });

  it('SA-10 with assertion signing required, a response signed only as a whole is refused', async () => {
    await refusedWith({ sign: 'response' });
  });

  it('SA-12 a response carrying a DTD (entity expansion) is refused', async () => {
    await refusedWith({}, (xml) => xml.replace('<samlp:Response', '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><samlp:Response'));
  });

  it('an IdP refusal (status Responder/AuthnFailed, no assertion) ends on the failure page', async () => {
    const success = '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>';
    await refusedWith({}, (xml) => {
      expect(xml).toContain(success);
      return xml
        .replace(assertionOf(xml), '')
        .replace(
          success,
          '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>',
        );
    });
  });

  it('SA-12 garbage instead of a SAMLResponse is refused with a redirect, not an error page', async () => {
    const http = new HttpClient(stack.app.url);
    await http.get('/oauth/saml');
    const res = await http.post('/oauth/saml/callback', { form: { SAMLResponse: Buffer.from('<html>not saml</html>').toString('base64') } });
    expect(res.status).toBe(302);
    expect(res.location).toBe(FAILURE_URL);
    const empty = await http.post('/oauth/saml/callback', { form: {} });
    expect(empty.location).toBe(FAILURE_URL);
  });
});

describe('SAML: SAML_USE_AUTHN_RESPONSE_SIGNED=true requires a signed Response', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([ADA], { SAML_USE_AUTHN_RESPONSE_SIGNED: 'true' });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('SA-10 a Response signed as a whole signs in', async () => {
    const login = await samlLogin(stack);
    expect(login.callback.location).toBe(SUCCESS);
    expect((await sessionUser(login.http)).user).toMatchObject({ email: 'ada@example.com', provider: 'saml' });
  });

  it('SA-10 only the assertion signed is refused in this mode', async () => {
    stack.idp.next = { sign: 'assertion' };
    expect((await samlLogin(stack)).callback.location).toBe(FAILURE_URL);
  });

  it('SA-02 a signed Response altered after signing is refused', async () => {
    expect((await samlLogin(stack, { alter: (xml) => xml.replace('ada@example.com', 'mallory@example.com') })).callback.location).toBe(FAILURE_URL);
  });
});
