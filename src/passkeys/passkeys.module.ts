import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule, PasskeyFactor } from '../auth';
import { ModerationModule } from '../moderation';
import { TwoFactorModule } from '../two-factor';
import { PasskeyAssertions } from './passkey-assertions';
import { PasskeyChallengeStore } from './passkey-challenge.store';
import { PasskeyManagementService } from './passkey-management.service';
import { PasskeySignInService } from './passkey-sign-in.service';
import { PasskeysController } from './passkeys.controller';
import { RelyingParty } from './relying-party';

/** Passkeys (WebAuthn): registration and management, passwordless sign-in, and the third second factor. */
@Module({
  imports: [AuthModule, ModerationModule, TwoFactorModule],
  controllers: [PasskeysController],
  providers: [RelyingParty, PasskeyChallengeStore, PasskeyAssertions, PasskeyManagementService, PasskeySignInService],
})
export class PasskeysModule implements OnModuleInit {
  constructor(
    private readonly factor: PasskeyFactor,
    private readonly signIn: PasskeySignInService,
  ) {}

  onModuleInit(): void {
    this.factor.register({ verify: (userId, proof) => this.signIn.verifySecondFactor(userId, proof) });
  }
}
