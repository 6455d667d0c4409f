import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configOf, problemsOf } from '../../test/support/config-results';
import { loadConfig, type Env } from './load-config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-apple-config-'));
const load = (env: Env) => loadConfig({ DATA_DIR: dir, ...env });
const p8 = path.join(dir, 'AuthKey_K.p8');
fs.writeFileSync(p8, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const APPLE = { APPLE_CLIENT_ID: 'org.example.web', APPLE_TEAM_ID: 'TEAM', APPLE_KEY_ID: 'K', APPLE_PRIVATE_KEY_PATH: p8 };

describe('Sign in with Apple configuration', () => {
  it('is off without variables and on with all four; callback and base URL default to LibreChat / Apple', () => {
    expect(configOf(load({})).apple).toBeNull();
    const { apple } = configOf(load(APPLE));
    expect(apple).toMatchObject({
      clientId: 'org.example.web',
      teamId: 'TEAM',
      keyId: 'K',
      callbackUrl: '/oauth/apple/callback',
      baseUrl: 'https://appleid.apple.com',
    });
    expect(apple?.privateKey.asymmetricKeyType).toBe('ec');
  });

  it('refuses some-but-not-all of the four variables, naming each missing one', () => {
    expect(problemsOf(load({ APPLE_CLIENT_ID: 'x', APPLE_PRIVATE_KEY_PATH: p8 }))).toEqual([
      expect.stringMatching(/^APPLE_TEAM_ID: is required when APPLE_CLIENT_ID, APPLE_PRIVATE_KEY_PATH are set/),
      expect.stringMatching(/^APPLE_KEY_ID: is required/),
    ]);
  });

  it('refuses a missing key file and a key that is not EC P-256', () => {
    expect(problemsOf(load({ ...APPLE, APPLE_PRIVATE_KEY_PATH: path.join(dir, 'none.p8') }))).toEqual([
      expect.stringMatching(/^APPLE_PRIVATE_KEY_PATH: cannot be read \(ENOENT\)/),
    ]);
    const rsa = path.join(dir, 'rsa.p8');
    fs.writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(problemsOf(load({ ...APPLE, APPLE_PRIVATE_KEY_PATH: rsa }))).toEqual([expect.stringMatching(/^APPLE_PRIVATE_KEY_PATH: is not an EC P-256 key/)]);
    const junk = path.join(dir, 'junk.p8');
    fs.writeFileSync(junk, 'junk');
    expect(problemsOf(load({ ...APPLE, APPLE_PRIVATE_KEY_PATH: junk }))).toEqual([expect.stringMatching(/^APPLE_PRIVATE_KEY_PATH: is not a PEM private key/)]);
  });

  it('AP-05 refuses a plain-http callback outside localhost (the cross-site state cookie needs Secure)', () => {
    expect(problemsOf(load({ ...APPLE, DOMAIN_SERVER: 'http://chat.example.com' }))).toEqual([
      expect.stringMatching(/^APPLE_CALLBACK_URL: resolves to http:\/\/chat.example.com, which is not https/),
    ]);
    expect(configOf(load({ ...APPLE, DOMAIN_SERVER: 'https://chat.example.com' })).apple).not.toBeNull();
    expect(configOf(load({ ...APPLE, DOMAIN_SERVER: 'http://localhost:3080' })).apple).not.toBeNull();
  });
});
