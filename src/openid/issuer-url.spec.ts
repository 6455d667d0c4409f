import { locateIssuer, storedIssuerForm } from './issuer-url';
import { parseMetadata } from './provider-metadata';

const DOC = { authorization_endpoint: 'https://idp/auth', token_endpoint: 'https://idp/token', jwks_uri: 'https://idp/jwks' };

describe('OpenID issuer input (OC-07)', () => {
  it('derives the discovery URL from an issuer, with or without a trailing slash, and expects that exact issuer', () => {
    expect(locateIssuer('https://tenant.auth0.com/')).toEqual({
      discoveryUrl: 'https://tenant.auth0.com/.well-known/openid-configuration',
      acceptedIssuers: ['https://tenant.auth0.com/'],
    });
    expect(locateIssuer('https://kc.example/realms/x')).toEqual({
      discoveryUrl: 'https://kc.example/realms/x/.well-known/openid-configuration',
      acceptedIssuers: ['https://kc.example/realms/x'],
    });
  });

  it('accepts the full well-known URL (Cognito guide) and then both forms of its issuer', () => {
    const loc = locateIssuer('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/openid-configuration');
    expect(loc.discoveryUrl).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/openid-configuration');
    expect(loc.acceptedIssuers).toEqual([
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/',
    ]);
  });

  it('refuses a discovered issuer that differs, naming both values', () => {
    expect(() => parseMetadata({ ...DOC, issuer: 'https://tenant.auth0.com' }, ['https://tenant.auth0.com/'])).toThrow(
      /"https:\/\/tenant.auth0.com" does not match OPENID_ISSUER "https:\/\/tenant.auth0.com\/"/,
    );
  });

  it('keeps only asymmetric ID token algorithms (JW-01, JW-02) and defaults to RS256', () => {
    expect(
      parseMetadata({ ...DOC, issuer: 'https://idp', id_token_signing_alg_values_supported: ['none', 'HS256', 'RS256', 'ES256'] }, ['https://idp'])
        .idTokenAlgorithms,
    ).toEqual(['RS256', 'ES256']);
    expect(parseMetadata({ ...DOC, issuer: 'https://idp' }, ['https://idp']).idTokenAlgorithms).toEqual(['RS256']);
    expect(() => parseMetadata({ ...DOC, issuer: 'https://idp', id_token_signing_alg_values_supported: ['HS256'] }, ['https://idp'])).toThrow(/accepts/);
  });

  it('stores issuers without trailing slashes, as LibreChat does', () => {
    expect(storedIssuerForm('https://tenant.auth0.com/')).toBe('https://tenant.auth0.com');
  });
});
