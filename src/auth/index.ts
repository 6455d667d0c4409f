export { AuthModule } from './auth.module';
export { AccessTokenService, type AccessClaims } from './access-token.service';
export { RecentUsers } from './guards/recent-users';
export { LoginService, type LoginOutcome, type SecondFactorPending, type SignedIn } from './login.service';
export { SecondFactorStep, type SecondFactorHandler, type SecondFactorProof } from './second-factor/second-factor.step';
export { CurrentAuth, CurrentUser, Public, Roles, type AuthenticatedRequest } from './guards/auth.decorators';
export { DirectoryLogin, type DirectoryVerifier } from './federation/directory-login';
export {
  FederatedSessions,
  type FederatedSessionHandler,
  type FederatedBearer,
  type FederatedRefresh,
  type FederatedRequest,
  type FederatedLogout,
} from './federation/federated-sessions';
export { assertSameSite } from './request-context';
export { JsonBodyGuard, SameSiteGuard, SameSiteJsonOnly } from './guards/browser-form.guards';
export { SecondFactorProofDto } from './second-factor/second-factor-proof.dto';
export { AuthErrors } from './auth.errors';
export { OPENID_IDP_UNAVAILABLE } from './auth.api-errors';
export { PasskeyFactor, PASSKEY_CHALLENGE_COOKIE, PASSKEY_CHALLENGE_PATH, type PasskeyFactorHandler, type PasskeyProof } from './second-factor/passkey-factor';
