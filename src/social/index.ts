export { SocialModule } from './social.module';
export { LoginProviderRegistry, type LoginProvider } from './login-provider.registry';
export { failureRedirect, successRedirect } from './oauth-redirects';
