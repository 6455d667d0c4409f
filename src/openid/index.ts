export { OpenIdModule, isOpenIdActive } from './openid.module';
export { JwksKeysService } from './jwks-keys.service';
export { NamedOpenIdModule } from './named-openid.module';
export { OpenidErrors } from './openid.errors';
