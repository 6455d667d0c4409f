import { generateKeyPairSync, sign } from 'node:crypto';
import type { OpenIdConfig } from '../config';
import { IdpJwtVerifier } from './idp-jwt.verifier';
import type { JwksKeysService } from './jwks-keys.service';
import { isTenantTemplateOf, parseMetadata } from './provider-metadata';

// The JWKS seam is replaced by the one key here: the provider these cases need (an Entra
// multi-tenant issuer template) cannot be run in the test harness. Everything else is real.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = { keyFor: async () => ({ key: publicKey, alg: 'RS256' }) } as unknown as JwksKeysService;
const verifier = new IdpJwtVerifier(keys, { clockToleranceSec: 30 } as OpenIdConfig);
const TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';

function token(payload: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const expect_ = { issuer: TEMPLATE, audiences: ['client'], algorithms: ['RS256'] };

describe('JW-09 Entra multi-tenant issuer template', () => {
  it('accepts the template as the discovered issuer of the common endpoint only', () => {
    expect(isTenantTemplateOf(TEMPLATE, 'https://login.microsoftonline.com/common/v2.0')).toBe(true);
    expect(isTenantTemplateOf(TEMPLATE, 'https://login.microsoftonline.com/common/v1.0')).toBe(false);
    expect(isTenantTemplateOf(TEMPLATE, 'https://evil.example/common/v2.0')).toBe(false);
    const doc = { issuer: TEMPLATE, authorization_endpoint: 'a', token_endpoint: 't', jwks_uri: 'j' };
    expect(parseMetadata(doc, ['https://login.microsoftonline.com/organizations/v2.0']).issuer).toBe(TEMPLATE);
  });

  it('fills {tenantid} from tid and then compares exactly', async () => {
    const tid = '9188040d-6c67-4c5b-b112-36a304b66dad';
    const ok = await verifier.verify(
      token({ iss: `https://login.microsoftonline.com/${tid}/v2.0`, tid, aud: 'client', sub: 's', iat: now(), exp: now() + 60 }),
      expect_,
    );
    expect(ok.payload.sub).toBe('s');
    await expect(
      verifier.verify(token({ iss: `https://login.microsoftonline.com/other/v2.0`, tid, aud: 'client', sub: 's', iat: now(), exp: now() + 60 }), expect_),
    ).rejects.toMatchObject({ problem: 'issuer' });
    await expect(
      verifier.verify(token({ iss: 'https://login.microsoftonline.com/x/y/v2.0', tid: 'x/y', aud: 'client', sub: 's', iat: now(), exp: now() + 60 }), expect_),
    ).rejects.toMatchObject({ problem: 'issuer' });
  });

  it('JW-11 malformed tokens are refused with a reason, never thrown as something else', async () => {
    for (const bad of ['a.b', 'not a token', `${Buffer.from('[1]').toString('base64url')}.e30.sig`, '']) {
      await expect(verifier.verify(bad, { ...expect_, issuer: 'https://idp' })).rejects.toMatchObject({ name: 'IdpJwtError' });
    }
    const crit = `${Buffer.from(JSON.stringify({ alg: 'RS256', crit: ['x'] })).toString('base64url')}.e30.sig`;
    await expect(verifier.verify(crit, { ...expect_, issuer: 'https://idp' })).rejects.toMatchObject({ problem: 'malformed' });
  });
});
