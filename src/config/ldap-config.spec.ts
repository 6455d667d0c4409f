import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configOf, problemsOf } from '../../test/support/config-results';
import { loadConfig, type Env } from './load-config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ldap-config-'));
const load = (env: Env) => loadConfig({ DATA_DIR: tmp(), ...env });
const BASE = { LDAP_URL: 'ldap://ldap.example.com:389', LDAP_USER_SEARCH_BASE: 'ou=people,dc=example,dc=com' };

describe('LDAP configuration', () => {
  it('is off by default and on with LDAP_URL + LDAP_USER_SEARCH_BASE, with LibreChat defaults and secure TLS', () => {
    expect(configOf(load({})).ldap).toMatchObject({ enabled: false, directory: null });
    const { ldap } = configOf(load(BASE));
    expect(ldap.enabled).toBe(true);
    expect(ldap.directory).toMatchObject({
      urls: ['ldap://ldap.example.com:389'],
      searchFilter: 'mail={{username}}',
      rejectUnauthorized: true,
      startTls: false,
      bindDn: null,
      connectTimeoutMs: 5000,
      timeoutMs: 5000,
    });
  });

  it('refuses half or contradictory settings, naming the variable', () => {
    const problems = problemsOf(load({ LDAP_URL: 'http://ldap.example.com', LDAP_BIND_DN: 'cn=x', LDAP_SEARCH_FILTER: 'uid=admin', LDAP_STARTTLS: 'yes' }));
    expect(problems.join('\n')).toMatch(/LDAP_URL: "http:\/\/ldap.example.com" is not an LDAP URL/);
    expect(problems.join('\n')).toMatch(/LDAP_STARTTLS: .*not a boolean/);
    const more = problemsOf(load({ LDAP_URL: 'ldaps://ldap.example.com', LDAP_BIND_DN: 'cn=x', LDAP_SEARCH_FILTER: 'uid=admin', LDAP_STARTTLS: 'true' }));
    expect(more).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LDAP_USER_SEARCH_BASE: is required when LDAP_URL is set/),
        expect.stringMatching(/^LDAP_BIND_CREDENTIALS: is required when LDAP_BIND_DN is set/),
        expect.stringMatching(/^LDAP_SEARCH_FILTER: must contain \{\{username\}\}/),
        expect.stringMatching(/^LDAP_STARTTLS: cannot be used with an ldaps:\/\//),
      ]),
    );
  });

  it('reads LDAP_CA_CERT_PATH at boot and refuses a missing or non-PEM file', () => {
    const dir = tmp();
    expect(problemsOf(load({ ...BASE, LDAP_CA_CERT_PATH: path.join(dir, 'missing.pem') }))).toEqual([
      expect.stringMatching(/^LDAP_CA_CERT_PATH: cannot be read \(ENOENT\)/),
    ]);
    fs.writeFileSync(path.join(dir, 'junk.pem'), 'junk');
    expect(problemsOf(load({ ...BASE, LDAP_CA_CERT_PATH: path.join(dir, 'junk.pem') }))).toEqual([
      expect.stringMatching(/^LDAP_CA_CERT_PATH: is not a PEM certificate/),
    ]);
    fs.writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n');
    expect(configOf(load({ ...BASE, LDAP_CA_CERT_PATH: path.join(dir, 'ca.pem') })).ldap.directory?.caCert).toContain('BEGIN CERTIFICATE');
  });

  it('warns about unverified TLS and passwords in clear to a remote directory', () => {
    const clear = loadConfig({ DATA_DIR: tmp(), ...BASE });
    expect(clear.ok && clear.config.warnings.some((w) => w.startsWith('LDAP_URL: plain ldap://'))).toBe(true);
    const noVerify = configOf(load({ ...BASE, LDAP_STARTTLS: 'true', LDAP_TLS_REJECT_UNAUTHORIZED: 'false' }));
    expect(noVerify.warnings.filter((w) => w.startsWith('LDAP_'))).toEqual([expect.stringMatching(/^LDAP_TLS_REJECT_UNAUTHORIZED: false/)]);
    expect(configOf(load({ ...BASE, LDAP_URL: 'ldaps://ldap.example.com' })).warnings.filter((w) => w.startsWith('LDAP_'))).toEqual([]);
  });

  it('maps attributes, full-name list, username mode and timeouts', () => {
    const { ldap } = configOf(
      load({
        ...BASE,
        LDAP_ID: 'employeeNumber',
        LDAP_USERNAME: 'uid',
        LDAP_EMAIL: 'mail',
        LDAP_FULL_NAME: 'givenName, sn',
        LDAP_LOGIN_USES_USERNAME: 'true',
        LDAP_TIMEOUT: '1000 * 2',
      }),
    );
    expect(ldap.loginUsesUsername).toBe(true);
    expect(ldap.directory?.attributes).toEqual({ id: 'employeeNumber', username: 'uid', email: 'mail', fullName: ['givenName', 'sn'] });
    expect(ldap.directory?.timeoutMs).toBe(2000);
  });
});
