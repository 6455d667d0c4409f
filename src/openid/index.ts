export { OpenIdModule, isOpenIdActive } from './openid.module';
export { JwksKeysService } from './jwks-keys.service';
