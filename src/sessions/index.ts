export { SessionsModule } from './sessions.module';
export { RefreshSessionsService, type IssuedRefresh, type SessionContext } from './refresh-sessions.service';
export { SessionCookies, REFRESH_COOKIE, PROVIDER_COOKIE } from './session-cookies';
export { sha256Hex } from './refresh-token.codec';
export { SessionsErrors } from './sessions.errors';
