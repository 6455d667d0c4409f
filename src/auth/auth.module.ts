import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ModerationModule } from '../moderation';
import { SessionsModule } from '../sessions';
import { UsersModule } from '../users';
import { AccessTokenService } from './access-token.service';
import { AuthController } from './auth.controller';
import { DirectoryLogin } from './federation/directory-login';
import { FederatedSessions } from './federation/federated-sessions';
import { BearerAuthGuard } from './guards/bearer-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { LoginService } from './login.service';
import { PasskeyFactor } from './second-factor/passkey-factor';
import { SecondFactorStep } from './second-factor/second-factor.step';
import { StartupConfigController } from './startup-config.controller';
import { UserController } from './user.controller';

@Module({
  imports: [UsersModule, SessionsModule, ModerationModule],
  controllers: [AuthController, UserController, StartupConfigController],
  providers: [
    AccessTokenService,
    LoginService,
    FederatedSessions,
    DirectoryLogin,
    SecondFactorStep,
    PasskeyFactor,
    // Order matters: authenticate first, then check roles.
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AccessTokenService, LoginService, FederatedSessions, DirectoryLogin, SecondFactorStep, PasskeyFactor, SessionsModule, UsersModule],
})
export class AuthModule {}
