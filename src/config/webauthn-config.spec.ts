import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configOf, problemsOf } from '../../test/support/config-results';
import { loadConfig, type Env } from './load-config';
import { collectWarnings } from './warnings';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-webauthn-config-'));
const load = (env: Env) => loadConfig({ DATA_DIR: dir, ...env });

describe('WebAuthn relying party configuration (issue 21)', () => {
  it('derives the RP ID from DOMAIN_CLIENT and keeps the https origins within it', () => {
    const config = configOf(load({ DOMAIN_CLIENT: 'https://chat.example.com', DOMAIN_SERVER: 'https://auth.example.com' }));
    expect(config.server.webauthn).toEqual({ rpId: 'chat.example.com', origins: ['https://chat.example.com'] });
    const wide = configOf(load({ DOMAIN_CLIENT: 'https://chat.example.com', DOMAIN_SERVER: 'https://auth.example.com', WEBAUTHN_RP_ID: 'example.com' }));
    expect(wide.server.webauthn).toEqual({ rpId: 'example.com', origins: ['https://chat.example.com', 'https://auth.example.com'] });
  });

  it('turns passkeys off (null, with a warning) when nothing usable can be derived', () => {
    const env = { DOMAIN_CLIENT: 'http://10.0.0.5:3080' };
    const config = configOf(load(env));
    expect(config.server.webauthn).toBeNull();
    expect(collectWarnings(config, env).some((w) => w.startsWith('WEBAUTHN_RP_ID:'))).toBe(true);
  });

  it('PK-09 refuses at boot a named RP ID that is not a domain, and named origins outside it or on plain http', () => {
    expect(problemsOf(load({ WEBAUTHN_RP_ID: '10.0.0.5' }))).toEqual([expect.stringMatching(/^WEBAUTHN_RP_ID: .*not a domain name/)]);
    expect(problemsOf(load({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evil.example.net' }))).toEqual([
      expect.stringMatching(/^WEBAUTHN_ORIGINS: https:\/\/evil.example.net is not within/),
    ]);
    expect(problemsOf(load({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'http://chat.example.com' }))).toEqual([expect.stringMatching(/only on https/)]);
    expect(problemsOf(load({ WEBAUTHN_ORIGINS: 'https://chat.example.com/path' }))).toEqual([expect.stringMatching(/^WEBAUTHN_ORIGINS: /)]);
  });
});
