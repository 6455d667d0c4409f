import { Module } from '@nestjs/common';
import { RefreshSessionsService } from './refresh-sessions.service';
import { RefreshTokenCodec } from './refresh-token.codec';
import { SessionCookies } from './session-cookies';
import { SignInEvents } from './sign-in-events';

@Module({
  providers: [RefreshSessionsService, RefreshTokenCodec, SessionCookies, SignInEvents],
  exports: [RefreshSessionsService, SessionCookies, SignInEvents],
})
export class SessionsModule {}
