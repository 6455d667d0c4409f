import { Module } from '@nestjs/common';
import { RefreshSessionsService } from './refresh-sessions.service';
import { RefreshTokenCodec } from './refresh-token.codec';
import { SessionCookies } from './session-cookies';

@Module({
  providers: [RefreshSessionsService, RefreshTokenCodec, SessionCookies],
  exports: [RefreshSessionsService, SessionCookies],
})
export class SessionsModule {}
