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
import { RecentUsers } from './guards/recent-users';
import { LoginService } from './login.service';
import { PasskeyFactor } from './second-factor/passkey-factor';
import { SecondFactorStep } from './second-factor/second-factor.step';
import { StartupConfigController } from './startup-config.controller';
import { UserController } from './user.controller';
import { SessionRefreshService } from './session-refresh.service';

@Module({
  imports: [UsersModule, SessionsModule, ModerationModule],
  controllers: [AuthController, UserController, StartupConfigController],
  providers: [
    AccessTokenService,
    LoginService,
    SessionRefreshService,
    FederatedSessions,
    DirectoryLogin,
    SecondFactorStep,
    PasskeyFactor,
    RecentUsers,
    // Authenticates, then checks @Roles, in one pass.
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [AccessTokenService, RecentUsers, LoginService, FederatedSessions, DirectoryLogin, SecondFactorStep, PasskeyFactor, SessionsModule, UsersModule],
})
export class AuthModule {}
