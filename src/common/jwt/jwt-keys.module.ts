import { Global, Module, type Provider } from '@nestjs/common';
import { JwtService, type JwtModuleOptions } from '@nestjs/jwt';
import { SecretsConfig } from '../../config';
import { hmacKey } from './jwt-claims';

/**
 * HS256 only, both ways: a token whose header names another algorithm (none, RS256 with the secret
 * as a "public key"...) is refused by the library before any claim is read (JW-01). The key is a
 * KeyObject built once at boot, so the bearer path never re-imports a string secret.
 */
function hs256(secret: string): JwtModuleOptions {
  return { secret: hmacKey(secret), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } };
}

/** @nestjs/jwt's JwtService keyed with JWT_SECRET: access tokens and 2FA temporary tokens. */
export class AccessJwtService extends JwtService {}

/** @nestjs/jwt's JwtService keyed with JWT_REFRESH_SECRET: refresh tokens and the openid_user_id cookie. */
export class RefreshJwtService extends JwtService {}

const providers: Provider[] = [
  { provide: AccessJwtService, useFactory: (secrets: SecretsConfig) => new AccessJwtService(hs256(secrets.jwtSecret)), inject: [SecretsConfig] },
  { provide: RefreshJwtService, useFactory: (secrets: SecretsConfig) => new RefreshJwtService(hs256(secrets.jwtRefreshSecret)), inject: [SecretsConfig] },
];

/**
 * One JwtService per secret, shared by every module that signs with it (docs/architecture.md#tokens-nestjsjwt).
 * Each token kind still pins its own audience and `typ` per call, so two kinds sharing a key can
 * never pass for each other (JW-03).
 */
@Global()
@Module({ providers, exports: providers })
export class JwtKeysModule {}
