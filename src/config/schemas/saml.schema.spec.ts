import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from 'selfsigned';
import { loadConfig, type Env } from '../load-config';

const base: Env = { NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gh-saml-config-')) };
const SECRET = 'b3f0c1d2e4a5968778695a4b3c2d1e0f9a8b7c6d';

function problems(env: Env): string[] {
  const result = loadConfig({ ...base, ...env });
  return result.ok ? [] : result.problems;
}

describe('SAML configuration (SA-11)', () => {
  let cert: string;
  beforeAll(async () => {
    cert = (await generate([{ name: 'commonName', value: 'idp' }], { keySize: 2048, algorithm: 'sha256' })).cert;
  });
  const full = (): Env => ({ SAML_ENTRY_POINT: 'https://idp.example.com/sso', SAML_ISSUER: 'gatehouse', SAML_CERT: cert, SAML_SESSION_SECRET: SECRET });

  it('SA-11 is off without variables, and the four required ones come together', () => {
    const off = loadConfig(base);
    expect(off.ok && off.config.saml.enabled).toBe(false);
    expect(
      problems({ SAML_ENTRY_POINT: 'https://idp.example.com/sso' })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['SAML_CERT', 'SAML_ISSUER', 'SAML_SESSION_SECRET']);
    const on = loadConfig({ ...base, ...full() });
    expect(on.ok && on.config.saml).toMatchObject({
      enabled: true,
      issuer: 'gatehouse',
      callbackUrl: '/oauth/saml/callback',
      responseSigned: false,
      buttonLabel: 'Continue with SAML',
    });
  });

  it('SA-11 SAML_CERT: PEM, its bare base64 body, or a file; anything else is refused at boot', () => {
    const body = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const file = path.join(base.DATA_DIR as string, 'idp.pem');
    fs.writeFileSync(file, cert);
    for (const value of [cert, body, file, cert.replace(/\n/g, '\\n')]) {
      const result = loadConfig({ ...base, ...full(), SAML_CERT: value });
      expect(result.ok && result.config.saml.idpCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    }
    expect(problems({ ...full(), SAML_CERT: 'not-a-cert.pem' })[0]).toMatch(/^SAML_CERT: .*readable file/);
    expect(problems({ ...full(), SAML_CERT: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })[0]).toMatch(
      /^SAML_CERT: .*not an X.509 certificate/,
    );
  });

  it('SA-11 validates the entry point, the callback and the signing switch', () => {
    const named = problems({ ...full(), SAML_ENTRY_POINT: 'idp.example.com', SAML_CALLBACK_URL: 'callback', SAML_USE_AUTHN_RESPONSE_SIGNED: 'yes' })
      .map((p) => p.split(':')[0])
      .sort();
    expect(named).toEqual(['SAML_CALLBACK_URL', 'SAML_ENTRY_POINT', 'SAML_USE_AUTHN_RESPONSE_SIGNED']);
  });

  it('SA-11 a weak SAML_SESSION_SECRET stops a production boot', () => {
    const prod: Env = {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(40) + 'x1',
      JWT_REFRESH_SECRET: 'r'.repeat(40) + 'y2',
      CREDS_KEY: 'a'.repeat(64),
      DOMAIN_SERVER: 'https://auth.example.com',
      DOMAIN_CLIENT: 'https://chat.example.com',
    };
    expect(problems({ ...prod, ...full(), SAML_SESSION_SECRET: 'short' })).toContainEqual(expect.stringMatching(/^SAML_SESSION_SECRET: /));
    expect(problems({ ...prod, ...full() }).filter((p) => p.startsWith('SAML'))).toEqual([]);
  });
});
