import { Injectable, Logger } from '@nestjs/common';
import { LoginService, type SecondFactorProof, type SignedIn } from '../auth';
import { DomainError } from '../common/errors';
import type { SessionContext } from '../sessions';
import { TwoFactorRepository, UserRecord, UserRepository } from '../storage';
import { SecondFactorVerifier } from './second-factor.verifier';
import { TempTokenService, invalidTempToken } from './temp-token.service';
import { TwoFactorErrors } from './two-factor.errors';
import { AuthErrors } from '../auth';

const wrongCode = () => new DomainError(AuthErrors.INVALID_SECOND_FACTOR);

/**
 * The second step of a password sign-in: the temp token from the password step plus a TOTP or
 * backup code open the session. A wrong code leaves the temp token usable (within its limit and
 * lifetime) for a retry; a right one spends it, so it finishes exactly one sign-in.
 */
@Injectable()
export class TwoFactorLoginService {
  private readonly logger = new Logger('TwoFactorLogin');

  constructor(
    private readonly temp: TempTokenService,
    private readonly users: UserRepository,
    private readonly store: TwoFactorRepository,
    private readonly verifier: SecondFactorVerifier,
    private readonly login: LoginService,
  ) {}

  /** Called by the password sign-in (through auth's SecondFactorStep) once the password was right. */
  async challenge(user: UserRecord): Promise<{ tempToken: string } | null> {
    return user.twoFactorEnabled ? { tempToken: this.temp.issue(user.id) } : null;
  }

  async verifyTemp(tempToken: string | undefined, proof: SecondFactorProof, context: SessionContext): Promise<SignedIn> {
    if (!tempToken) throw new DomainError(TwoFactorErrors.MISSING_TEMP_TOKEN);
    const claims = await this.temp.read(tempToken);
    if (!claims) throw invalidTempToken();
    const user = await this.users.findById(claims.userId);
    if (!user) throw invalidTempToken();
    const state = await this.store.find(user.id);
    if (!state?.enabled) throw new DomainError(TwoFactorErrors.TWO_FACTOR_NOT_ENABLED);
    const result = await this.verifier.checkLive(user.id, state, proof, { spendBackupCode: true });
    if (result !== 'ok') {
      this.logger.log({ event: 'login_second_factor_failed', userId: user.id, ip: context.ip }, 'second factor refused');
      throw wrongCode();
    }
    if (!(await this.temp.spend(claims))) throw invalidTempToken();
    const signedIn = await this.login.signIn(user, context);
    this.logger.log(
      { event: 'login', userId: user.id, ip: context.ip, secondFactor: proof.token ? 'totp' : proof.backupCode ? 'backup_code' : 'passkey' },
      'login succeeded',
    );
    return signedIn;
  }
}
