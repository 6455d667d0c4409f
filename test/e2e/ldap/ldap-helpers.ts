import type { Env } from '../../../src/config';
import { startApp, type RunningApp } from '../../support/app.harness';
import { PEOPLE, READER_DN, READER_PASSWORD, type LdapPerson, type SlapdHandle } from '../../support/ldap';

/** The directory every LDAP suite seeds. */
export const PEOPLE_SEED: LdapPerson[] = [
  { uid: 'ada', password: 'ada-directory-pw', cn: 'Ada Lovelace', sn: 'Lovelace', givenName: 'Ada', mail: ['ada@example.org', 'countess@example.org'] },
  { uid: 'grace', password: 'grace-directory-pw', cn: 'Grace Hopper', sn: 'Hopper', givenName: 'Grace', mail: ['grace@example.org'] },
  { uid: 'linus', password: 'linus-directory-pw', cn: 'Linus', sn: 'T', mail: ['shared@example.org'] },
  { uid: 'linked', password: 'linked-directory-pw', cn: 'Linked Person', sn: 'Person', mail: ['linked@example.org'] },
  { uid: 'nomail', password: 'nomail-directory-pw', cn: 'No Mail', sn: 'Mail', givenName: 'Nomail' },
];

/** LibreChat-style LDAP variables for `slapd`; `url` picks ldap:// (default) or ldaps://. */
export function ldapEnv(slapd: SlapdHandle, extra: Env = {}): Env {
  return {
    LDAP_URL: slapd.url,
    LDAP_USER_SEARCH_BASE: PEOPLE,
    LDAP_BIND_DN: READER_DN,
    LDAP_BIND_CREDENTIALS: READER_PASSWORD,
    LDAP_CONNECT_TIMEOUT: '1000',
    LDAP_TIMEOUT: '1000',
    ...extra,
  };
}

export function startLdapApp(slapd: SlapdHandle, extra: Env = {}): Promise<RunningApp> {
  return startApp({ PASSWORD_HASH_COST: '4', ALLOW_REGISTRATION: 'true', ...ldapEnv(slapd, extra) });
}

/**
 * The operations one sign-in made at the directory, from slapd's stats log: requests and result
 * codes, without DNs, filters or entry counts — what an observer timing the directory can tell.
 */
export function operationShape(log: string[]): string[] {
  const shape: string[] = [];
  for (const line of log) {
    const m = / op=\d+ (.*)$/.exec(line);
    if (!m) continue;
    const op = m[1];
    if (/^BIND dn=.* method=/.test(op)) shape.push('BIND');
    else if (/^SRCH base=/.test(op)) shape.push('SRCH');
    else if (/^(SEARCH RESULT|RESULT) /.test(op)) shape.push(`${op.startsWith('SEARCH') ? 'SEARCH RESULT' : 'RESULT'} ${/err=\d+/.exec(op)?.[0] ?? ''}`);
    else if (/^UNBIND/.test(op)) shape.push('UNBIND');
  }
  return shape;
}
