import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Logger } from '@nestjs/common';
import { Client, InvalidCredentialsError, ResultCodeError, SizeLimitExceededError } from 'ldapts';
import type { LdapDirectorySettings } from '../config';
import { LdapConnectionPool } from './ldap-connection-pool';
import { userSearchFilter } from './ldap-filter';

/** A directory entry that authenticated: its DN and attributes (names lower-cased, values as strings). */
export interface DirectoryEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

export type DirectoryAnswer =
  { kind: 'authenticated'; entry: DirectoryEntry } | { kind: 'rejected'; why: 'no_password' | 'unknown' | 'ambiguous' | 'wrong_password' };

/** The directory could not give an answer (down, hung, TLS refused, search account refused): 503, never "wrong password" (LD-05). */
export class DirectoryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryUnavailableError';
  }
}

/** Attributes the default mapping reads; configured ones are added. */
const DEFAULT_ATTRIBUTES = ['uid', 'sAMAccountName', 'mail', 'cn', 'name', 'commonName', 'displayName', 'givenName'];

/** Idle connections kept per server; concurrent sign-ins beyond this open extra ones. */
const POOLED_CONNECTIONS = 4;

/**
 * Password check against LDAP with ldapts, on a pooled connection (`LdapConnectionPool`: opened
 * once with StartTLS when configured, reused by one sign-in at a time) → bind as LDAP_BIND_DN (or
 * anonymous) → search LDAP_USER_SEARCH_BASE with the escaped filter → bind as the entry found
 * with the password typed. Connect and operation timeouts bound every step. A pooled connection
 * the server dropped is replaced by a fresh one; several LDAP_URL values are tried in order when
 * one cannot be reached.
 *
 * Equal work for unknown and known users (LD-06): when the search finds nobody, the password is
 * still sent in a bind (to a DN that cannot exist), so both paths cost one search and one
 * failed bind at the directory.
 */
export class LdapDirectory {
  private readonly logger = new Logger('LdapDirectory');
  private readonly attributes: string[];
  readonly pool: LdapConnectionPool;

  constructor(private readonly settings: LdapDirectorySettings) {
    const { id, username, email, fullName } = settings.attributes;
    this.attributes = [...new Set([...DEFAULT_ATTRIBUTES, ...[id, username, email].filter((a): a is string => !!a), ...fullName])];
    this.pool = new LdapConnectionPool(POOLED_CONNECTIONS, (url) => this.connect(url));
  }

  /** Closes the idle connections (module shutdown). */
  close(): Promise<void> {
    return this.pool.close();
  }

  async authenticate(login: string, password: string): Promise<DirectoryAnswer> {
    // An empty password is an "unauthenticated bind" that many servers accept as anonymous (RFC 4513 §5.1.2): never sent (LD-04).
    if (password === '') return { kind: 'rejected', why: 'no_password' };
    const failures: string[] = [];
    for (const url of this.settings.urls) {
      // A kept connection first; if the server dropped it meanwhile, a fresh one (same URL).
      const pooled = this.pool.take(url);
      if (pooled) {
        const answer = await this.attemptOn(pooled, url, login, password);
        if (answer) return answer;
      }
      let client: Client;
      try {
        client = await this.pool.create(url);
      } catch (error) {
        // The server did not answer (refused, timed out, TLS failed): try the next URL, if any.
        failures.push(`${url}: ${describe(error)}`);
        continue;
      }
      try {
        const answer = await this.attemptOn(client, url, login, password, true);
        if (answer) return answer;
      } catch (error) {
        if (error instanceof DirectoryUnavailableError) throw error;
        failures.push(`${url}: ${describe(error)}`);
      }
    }
    throw new DirectoryUnavailableError(`no LDAP server answered (${failures.join('; ')})`);
  }

  /**
   * One sign-in on one connection; the connection goes back to the pool when the server answered.
   * A transport failure on a kept connection gives null (the caller opens a fresh one); on a
   * fresh connection (`rethrow`) it is thrown, so the next URL is tried.
   */
  private async attemptOn(client: Client, url: string, login: string, password: string, rethrow = false): Promise<DirectoryAnswer | null> {
    try {
      const answer = await this.attempt(client, login, password);
      await this.pool.release(url, client);
      return answer;
    } catch (error) {
      await this.pool.discard(client);
      if (error instanceof DirectoryUnavailableError || rethrow) throw error;
      return null;
    }
  }

  private async connect(url: string): Promise<Client> {
    const client = new Client({
      url,
      connectTimeout: this.settings.connectTimeoutMs,
      timeout: this.settings.timeoutMs,
      tlsOptions: url.startsWith('ldaps:') ? this.tlsOptions(url) : undefined,
    });
    try {
      if (this.settings.startTls) await client.startTLS(this.tlsOptions(url));
      return client;
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw error;
    }
  }

  private async attempt(client: Client, login: string, password: string): Promise<DirectoryAnswer> {
    // Every sign-in starts as the service account (or anonymous), whoever the connection's
    // previous sign-in left it bound as.
    if (!this.settings.bindDn) await client.bind('', '');
    if (this.settings.bindDn) {
      try {
        await client.bind(this.settings.bindDn, this.settings.bindCredentials ?? '');
      } catch (error) {
        // The search account itself was refused: an operator's problem, not the user's password.
        if (isAnswer(error)) throw new DirectoryUnavailableError(`the search account LDAP_BIND_DN was refused: ${describe(error)}`);
        throw error;
      }
    }
    let entries: Record<string, unknown>[];
    try {
      const result = await client.search(this.settings.searchBase, {
        scope: 'sub',
        filter: userSearchFilter(this.settings.searchFilter, login),
        attributes: this.attributes,
        // Two are enough to know the login is ambiguous; a match on several entries is refused.
        sizeLimit: 2,
      });
      entries = result.searchEntries as Record<string, unknown>[];
    } catch (error) {
      if (error instanceof SizeLimitExceededError) entries = [{}, {}];
      else if (isAnswer(error)) throw new DirectoryUnavailableError(`the user search failed: ${describe(error)}`);
      else throw error;
    }
    if (entries.length !== 1) {
      await this.bindOrReject(client, this.unusableDn(), password);
      if (entries.length > 1) this.logger.warn({ event: 'ldap_ambiguous_login' }, 'LDAP_SEARCH_FILTER matched several entries for one login; refused');
      return { kind: 'rejected', why: entries.length > 1 ? 'ambiguous' : 'unknown' };
    }
    const entry = entries[0];
    const dn = String(entry.dn);
    if (!(await this.bindOrReject(client, dn, password))) return { kind: 'rejected', why: 'wrong_password' };
    return { kind: 'authenticated', entry: { dn, attributes: normalize(entry) } };
  }

  /** True when the bind succeeded, false for invalid credentials; anything else means the directory is not usable. */
  private async bindOrReject(client: Client, dn: string, password: string): Promise<boolean> {
    try {
      await client.bind(dn, password);
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return false;
      if (isAnswer(error)) throw new DirectoryUnavailableError(`the user bind failed: ${describe(error)}`);
      throw error;
    }
  }

  /** A DN below the search base that no entry has: binding to it costs the server what a wrong password costs. */
  private unusableDn(): string {
    return `cn=gatehouse-no-such-user-${randomBytes(8).toString('hex')},${this.settings.searchBase}`;
  }

  private tlsOptions(url: string): ConnectionOptions {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return {
      host,
      ...(isIP(host) ? {} : { servername: host }),
      ...(this.settings.caCert ? { ca: [this.settings.caCert] } : {}),
      rejectUnauthorized: this.settings.rejectUnauthorized,
    };
  }
}

/** An LDAP result the server sent (as opposed to a transport failure). */
function isAnswer(error: unknown): boolean {
  return error instanceof ResultCodeError;
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: unknown };
  return `${e?.message ?? String(error)}${e?.code !== undefined ? ` (${String(e.code)})` : ''}`;
}

function normalize(entry: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'dn') continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))).filter((v) => v !== '');
    if (values.length) out[name.toLowerCase()] = values;
  }
  return out;
}
