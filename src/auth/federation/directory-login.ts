import { Injectable } from '@nestjs/common';
import type { SessionContext } from '../../sessions';
import type { UserRecord } from '../../storage';

/**
 * A directory that checks passwords instead of the local hashes (LDAP today). It answers the
 * account for a correct login and password, null for wrong credentials of any kind (unknown
 * login, wrong password: the caller cannot tell them apart), and throws a 503 DomainError when
 * the directory cannot answer. Everything else of the password sign-in (limits, per-account
 * slow-down, bans, the session) stays in `LoginService`.
 */
export interface DirectoryVerifier {
  /** Stored as the session's provider (e.g. `ldap`). */
  readonly name: string;
  verify(login: string, password: string, context: SessionContext): Promise<UserRecord | null>;
}

/** The auth module's seam for a directory verifier; a provider module registers into it (no auth → ldap import). */
@Injectable()
export class DirectoryLogin {
  private verifier: DirectoryVerifier | null = null;

  use(verifier: DirectoryVerifier): void {
    if (this.verifier) throw new Error(`a directory verifier (${this.verifier.name}) is already registered`);
    this.verifier = verifier;
  }

  get active(): DirectoryVerifier | null {
    return this.verifier;
  }
}
