export { SessionsModule } from './sessions.module';
export { RefreshSessionsService, type IssuedRefresh, type SessionContext } from './refresh-sessions.service';
export { SessionCookies, REFRESH_COOKIE, PROVIDER_COOKIE } from './session-cookies';
export { SignInEvents, type SignInEvent, type SignInListener } from './sign-in-events';
export { sha256Hex } from './refresh-token.codec';
export { SessionsErrors } from './sessions.errors';
export { sessionContextOf, type BrowserContext } from './session-context';
