import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock } from '../../common/clock';
import { SessionConfig } from '../../config';
import { KeyValueStore } from '../../storage';
import { storedIssuerForm } from '../issuer-url';
import { OPENID_PROVIDER_NAME } from '../openid-login.service';

/** One Gatehouse login opened by an OpenID sign-in: a refresh session id, or a token-reuse login id. */
export interface IdpLogin {
  userId: string;
  loginId: string;
  /** True for a token-reuse login (no Gatehouse refresh session, only the vault entry). */
  reuse: boolean;
}

/** Most logins remembered per IdP session or subject; the oldest drop out. */
const MAX_LOGINS = 50;

/**
 * Which Gatehouse logins an IdP session (`sid`) or subject (`sub`) opened, so a back-channel
 * logout token can end exactly those. Kept in the shared key-value store (any instance may
 * receive the logout), per provider and issuer, for as long as a refresh session can live.
 * Only hashes of `sid`/`sub` appear in keys.
 */
@Injectable()
export class BackchannelLogins {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
    private readonly session: SessionConfig,
    @Inject(OPENID_PROVIDER_NAME) private readonly provider: string,
  ) {}

  async remember(claims: { iss: string; sub: string; sid?: unknown }, login: IdpLogin): Promise<void> {
    const keys = [this.key(claims.iss, 'sub', claims.sub)];
    if (typeof claims.sid === 'string' && claims.sid !== '') keys.push(this.key(claims.iss, 'sid', claims.sid));
    for (const key of keys) {
      const logins = [...(await this.read(key)).filter((l) => l.loginId !== login.loginId), login].slice(-MAX_LOGINS);
      await this.kv.set(key, JSON.stringify(logins), this.session.refreshTokenTtlMs, this.clock.now());
    }
  }

  /** The logins of an IdP session when `sid` is given (§2.4: only that session), else of the subject; forgotten once taken. */
  async take(issuer: string, sid: string | null, sub: string | null): Promise<IdpLogin[]> {
    const key = sid ? this.key(issuer, 'sid', sid) : this.key(issuer, 'sub', sub ?? '');
    const raw = await this.kv.take(key, this.clock.now());
    return raw ? parse(raw) : [];
  }

  private async read(key: string): Promise<IdpLogin[]> {
    const raw = await this.kv.get(key, this.clock.now());
    return raw ? parse(raw) : [];
  }

  private key(issuer: string, kind: 'sid' | 'sub', value: string): string {
    const digest = createHash('sha256')
      .update(`${storedIssuerForm(issuer)}\u0000${value}`)
      .digest('base64url');
    return `openid:bcl:${this.provider}:${kind}:${digest}`;
  }
}

function parse(raw: string): IdpLogin[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? (value as IdpLogin[]).filter((l) => typeof l?.userId === 'string' && typeof l?.loginId === 'string') : [];
  } catch {
    return [];
  }
}
