import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { RefreshSessionsService } from '../../sessions';
import { IdpTokenStore } from '../../token-reuse';
import { IdpUnavailableError } from '../openid-errors';
import { OPENID_PROVIDER, OPENID_PROVIDER_NAME } from '../openid-login.service';
import { BackchannelLogins } from './backchannel-logins';
import { LogoutTokenError, LogoutTokenVerifier } from './logout-token.verifier';
import { OpenidErrors } from '../openid.errors';

/**
 * OpenID Connect Back-Channel Logout 1.0 (beyond LibreChat): the IdP posts a signed logout token
 * when the user's IdP session ends; the Gatehouse logins that session (`sid`) or subject (`sub`)
 * opened end at once: their refresh sessions are revoked and their vault entries deleted, so
 * refresh fails and, with token reuse, the IdP bearer token is refused from the next request on.
 */
@Injectable()
export class BackchannelLogoutService {
  private readonly logger = new Logger('OpenIdBackchannelLogout');

  constructor(
    private readonly verifier: LogoutTokenVerifier,
    private readonly logins: BackchannelLogins,
    private readonly sessions: RefreshSessionsService,
    private readonly store: IdpTokenStore,
    @Inject(OPENID_PROVIDER_NAME) private readonly providerName: string,
  ) {}

  /** Resolves to the number of logins ended; 400 for a token that fails any check (BL-01..BL-05). */
  async logout(token: unknown): Promise<number> {
    if (typeof token !== 'string' || token === '') throw new DomainError(OpenidErrors.LOGOUT_TOKEN_INVALID, { message: 'logout_token is required' });
    let verified;
    try {
      verified = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof IdpUnavailableError)
        throw new DomainError(OpenidErrors.IDP_UNAVAILABLE, { message: 'The identity provider keys are unavailable. Please try again shortly.' });
      if (error instanceof LogoutTokenError) {
        this.logger.warn({ event: 'backchannel_logout_refused' }, `logout token refused: ${error.message}`);
        throw new DomainError(OpenidErrors.LOGOUT_TOKEN_INVALID);
      }
      throw error;
    }
    const logins = await this.logins.take(verified.issuer, verified.sid, verified.sub);
    for (const login of logins) {
      if (!login.reuse) await this.sessions.revoke(login.loginId);
      await this.store.delete(login.userId, login.loginId, this.providerName);
      // A named provider's logins from before per-provider vault keys.
      if (this.providerName !== OPENID_PROVIDER) await this.store.delete(login.userId, login.loginId, OPENID_PROVIDER);
    }
    this.logger.log(
      { event: 'backchannel_logout', ended: logins.length, by: verified.sid ? 'sid' : 'sub' },
      'IdP session ended: its Gatehouse logins are signed out',
    );
    return logins.length;
  }
}
