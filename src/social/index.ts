export { SocialModule } from './social.module';
export { LoginProviderRegistry, type LoginProvider, type LoginProviderInfo } from './login-provider.registry';
export { failureRedirect, successRedirect } from './oauth-redirects';
export { SocialProviders } from './social-providers';
export { SocialLoginService } from './social-login.service';
export { LoginGate } from './login-gate';
export { SocialLoginFailure, type IdentityKey, type SocialIdentity, type SocialProfile } from './social-identity';
export type { OAuthProviderDefinition } from './oauth2/oauth2-login.provider';
export type { PassportStrategyLike } from './oauth2/passport-runner';
