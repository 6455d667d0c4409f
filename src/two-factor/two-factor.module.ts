import { Module, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthModule, SecondFactorStep } from '../auth';
import { clientIp } from '../common/client-ip';
import { SecretsConfig } from '../config';
import { LimitSubjects, ModerationModule, type LimitSubject } from '../moderation';
import { SecondFactorVerifier } from './second-factor.verifier';
import { TempTokenService, tempTokenFingerprint } from './temp-token.service';
import { TotpSecretCipher } from './totp-secret.cipher';
import { TwoFactorLoginService } from './two-factor-login.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';

/**
 * TOTP and backup codes (LibreChat's 2FA). Plugs into auth's SecondFactorStep (password sign-in
 * and account deletion) and names the subject of the verify-temp limit for moderation.
 */
@Module({
  imports: [AuthModule, ModerationModule],
  controllers: [TwoFactorController],
  providers: [
    { provide: TotpSecretCipher, inject: [SecretsConfig], useFactory: (secrets: SecretsConfig) => new TotpSecretCipher(secrets.credsKey) },
    TempTokenService,
    SecondFactorVerifier,
    TwoFactorService,
    TwoFactorLoginService,
  ],
  exports: [TwoFactorService, TempTokenService],
})
export class TwoFactorModule implements OnModuleInit {
  constructor(
    private readonly step: SecondFactorStep,
    private readonly limitSubjects: LimitSubjects,
    private readonly loginStep: TwoFactorLoginService,
    private readonly twoFactor: TwoFactorService,
    private readonly temp: TempTokenService,
  ) {}

  onModuleInit(): void {
    this.step.register({
      challenge: (user) => this.loginStep.challenge(user),
      confirm: (user, proof) => this.twoFactor.confirmSensitive(user.id, proof),
    });
    // LibreChat's second 2FA limiter: per user when the temp token is genuine, else per token
    // hash, else per address; the user of a genuine token is also scored and ban-checked.
    this.limitSubjects.register('twoFactorTemp', async (req: FastifyRequest): Promise<LimitSubject> => {
      const token = (req.body as { tempToken?: unknown } | undefined)?.tempToken;
      if (typeof token !== 'string' || token === '') return { key: `ip:${clientIp(req)}`, userId: null };
      const claims = await this.temp.read(token);
      return claims ? { key: `user:${claims.userId}`, userId: claims.userId } : { key: `temp:${tempTokenFingerprint(token)}`, userId: null };
    });
  }
}
