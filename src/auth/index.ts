export { AuthModule } from './auth.module';
export { AccessTokenService, type AccessClaims } from './access-token.service';
export { LoginService, type SignedIn } from './login.service';
export { CurrentAuth, CurrentUser, Public, Roles, type AuthenticatedRequest } from './guards/auth.decorators';
export { DirectoryLogin, type DirectoryVerifier } from './federation/directory-login';
export { FederatedSessions, type FederatedSessionHandler, type FederatedRefresh } from './federation/federated-sessions';
export { sessionContextOf, assertSameSite } from './request-context';
export { JsonBodyGuard, SameSiteGuard, SameSiteJsonOnly } from './guards/browser-form.guards';
