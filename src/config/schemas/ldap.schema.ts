import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bool, duration, list, optStr, secret, str } from '../fields/env-fields';
import { problem, together } from './issue';

export interface LdapDirectorySettings {
  urls: string[];
  searchBase: string;
  bindDn: string | null;
  bindCredentials: string | null;
  /** Contains `{{username}}`, replaced by the RFC 4515-escaped login name. */
  searchFilter: string;
  /** PEM of LDAP_CA_CERT_PATH, read at boot. */
  caCert: string | null;
  rejectUnauthorized: boolean;
  startTls: boolean;
  attributes: { id: string | null; username: string | null; email: string | null; fullName: string[] };
  connectTimeoutMs: number;
  timeoutMs: number;
}

export interface LdapSettings {
  enabled: boolean;
  /** LDAP_LOGIN_USES_USERNAME: the sign-in page asks for a username (UI label only). */
  loginUsesUsername: boolean;
  directory: LdapDirectorySettings | null;
}

const LDAP_SCHEMES = ['ldap:', 'ldaps:'];

/** One or more space/comma separated ldap:// or ldaps:// URLs (LibreChat passes the value to its client as is). */
function ldapUrls() {
  return optStr().transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const urls = raw.split(/[\s,]+/).filter(Boolean);
    for (const url of urls) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        parsed = null;
      }
      if (!parsed || !LDAP_SCHEMES.includes(parsed.protocol) || parsed.hostname === '') {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(url)} is not an LDAP URL; expected e.g. ldap://ldap.example.com:389 or ldaps://ldap.example.com:636`,
        });
        return z.NEVER;
      }
    }
    return urls;
  });
}

/**
 * LDAP sign-in: LDAP_URL and LDAP_USER_SEARCH_BASE together switch POST
 * /api/auth/login from local passwords to the directory. Differences from LibreChat, each
 * stricter: the CA file is read at boot (a missing file stops the boot instead of failing every
 * login), certificates are verified unless LDAP_TLS_REJECT_UNAUTHORIZED=false, and STARTTLS with
 * an ldaps:// URL is refused as contradictory.
 */
export const ldapSchema = z
  .object({
    LDAP_URL: ldapUrls(),
    LDAP_USER_SEARCH_BASE: optStr(),
    LDAP_BIND_DN: optStr(),
    LDAP_BIND_CREDENTIALS: secret(),
    LDAP_SEARCH_FILTER: str('mail={{username}}'),
    LDAP_CA_CERT_PATH: optStr(),
    LDAP_TLS_REJECT_UNAUTHORIZED: bool(true),
    LDAP_STARTTLS: bool(false),
    LDAP_ID: optStr(),
    LDAP_USERNAME: optStr(),
    LDAP_EMAIL: optStr(),
    LDAP_FULL_NAME: list([]),
    LDAP_LOGIN_USES_USERNAME: bool(false),
    // Gatehouse additions: a directory that does not answer must fail fast (503), not hang logins.
    LDAP_CONNECT_TIMEOUT: duration(5000, { min: 100, max: 120_000 }),
    LDAP_TIMEOUT: duration(5000, { min: 100, max: 120_000 }),
  })
  .superRefine((v, ctx) => {
    together(ctx, ['LDAP_URL', v.LDAP_URL], ['LDAP_USER_SEARCH_BASE', v.LDAP_USER_SEARCH_BASE], 'both enable LDAP sign-in');
    together(ctx, ['LDAP_BIND_DN', v.LDAP_BIND_DN], ['LDAP_BIND_CREDENTIALS', v.LDAP_BIND_CREDENTIALS], 'the search account needs both');
    if (!v.LDAP_SEARCH_FILTER.includes('{{username}}'))
      problem(ctx, 'LDAP_SEARCH_FILTER', 'must contain {{username}} (where the login name goes); expected e.g. mail={{username}} or (uid={{username}})');
    if (v.LDAP_STARTTLS && v.LDAP_URL?.some((u) => u.startsWith('ldaps:')))
      problem(ctx, 'LDAP_STARTTLS', 'cannot be used with an ldaps:// LDAP_URL (the connection is already TLS); use one or the other');
  })
  .transform((v, ctx): LdapSettings => {
    if (!v.LDAP_URL || !v.LDAP_USER_SEARCH_BASE) return { enabled: false, loginUsesUsername: v.LDAP_LOGIN_USES_USERNAME, directory: null };
    let caCert: string | null = null;
    if (v.LDAP_CA_CERT_PATH) {
      try {
        caCert = readFileSync(v.LDAP_CA_CERT_PATH, 'utf8');
      } catch (error) {
        problem(ctx, 'LDAP_CA_CERT_PATH', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); expected a readable PEM file`);
        return z.NEVER;
      }
      if (!caCert.includes('-----BEGIN CERTIFICATE-----')) {
        problem(ctx, 'LDAP_CA_CERT_PATH', 'is not a PEM certificate file; expected -----BEGIN CERTIFICATE-----');
        return z.NEVER;
      }
    }
    return {
      enabled: true,
      loginUsesUsername: v.LDAP_LOGIN_USES_USERNAME,
      directory: {
        urls: v.LDAP_URL,
        searchBase: v.LDAP_USER_SEARCH_BASE,
        bindDn: v.LDAP_BIND_DN ?? null,
        bindCredentials: v.LDAP_BIND_CREDENTIALS ?? null,
        searchFilter: v.LDAP_SEARCH_FILTER,
        caCert,
        rejectUnauthorized: v.LDAP_TLS_REJECT_UNAUTHORIZED,
        startTls: v.LDAP_STARTTLS,
        attributes: { id: v.LDAP_ID ?? null, username: v.LDAP_USERNAME ?? null, email: v.LDAP_EMAIL ?? null, fullName: v.LDAP_FULL_NAME },
        connectTimeoutMs: v.LDAP_CONNECT_TIMEOUT,
        timeoutMs: v.LDAP_TIMEOUT,
      },
    };
  });
