import { Injectable, Logger } from '@nestjs/common';
import type { DirectoryVerifier } from '../auth';
import { DomainError, CommonErrors } from '../common/errors';
import { LdapConfig } from '../config';
import { SocialLoginFailure, SocialLoginService } from '../social';
import type { SessionContext } from '../sessions';
import type { UserRecord } from '../storage';
import { DirectoryUnavailableError, LdapDirectory } from './ldap-directory';
import { ldapProfile } from './ldap-profile';
import { LdapErrors } from './ldap.errors';
import { UsersErrors } from '../users';

/**
 * LDAP as the credential check of POST /api/auth/login: the directory authenticates, then the
 * shared account rules decide the account (found by `ldapId`; linked by email only when both
 * sides are verified; created on the first sign-in, the very first account as ADMIN as in
 * LibreChat).
 */
@Injectable()
export class LdapLoginService implements DirectoryVerifier {
  readonly name = 'ldap';
  private readonly logger = new Logger('LdapLogin');

  constructor(
    private readonly directory: LdapDirectory,
    private readonly accounts: SocialLoginService,
    private readonly config: LdapConfig,
  ) {}

  async verify(login: string, password: string, context: SessionContext): Promise<UserRecord | null> {
    let answer;
    try {
      answer = await this.directory.authenticate(login, password);
    } catch (error) {
      if (!(error instanceof DirectoryUnavailableError)) throw error;
      this.logger.error({ event: 'ldap_unavailable', ip: context.ip }, `LDAP sign-in impossible: ${error.message}`);
      throw new DomainError(CommonErrors.SERVICE_UNAVAILABLE, { message: 'The sign-in directory is unavailable. Please try again later.' });
    }
    if (answer.kind === 'rejected') {
      this.logger.log({ event: 'ldap_rejected', why: answer.why, ip: context.ip }, 'LDAP credentials refused');
      return null;
    }
    const profile = ldapProfile(answer.entry, this.config.directory!.attributes);
    try {
      return await this.accounts.resolve(
        { ...profile, provider: 'ldap', key: { field: 'ldapId' } },
        { createWithoutSocialRegistration: true, firstUserRole: 'ADMIN' },
      );
    } catch (error) {
      if (!(error instanceof SocialLoginFailure)) throw error;
      this.logger.warn({ event: 'ldap_account_refused', reason: error.reason }, `LDAP sign-in refused: ${error.message}`);
      // Only reachable with a correct directory password, so naming the cause reveals nothing to a stranger.
      if (error.reason === 'domain_not_allowed') throw new DomainError(UsersErrors.EMAIL_DOMAIN_NOT_ALLOWED);
      throw new DomainError(LdapErrors.ACCOUNT_LINK_REFUSED);
    }
  }
}
