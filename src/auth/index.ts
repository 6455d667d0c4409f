export { AuthModule } from './auth.module';
export { AccessTokenService, type AccessClaims } from './access-token.service';
export { LoginService, type LoginOutcome, type SecondFactorPending, type SignedIn } from './login.service';
export { SecondFactorStep, type SecondFactorHandler, type SecondFactorProof } from './second-factor/second-factor.step';
export { CurrentAuth, CurrentUser, Public, Roles, type AuthenticatedRequest } from './guards/auth.decorators';
export { FederatedSessions, type FederatedSessionHandler, type FederatedRefresh } from './federation/federated-sessions';
export { sessionContextOf, assertSameSite } from './request-context';
export { SecondFactorProofDto } from './second-factor/second-factor-proof.dto';
