import { Global, Module, type Provider } from '@nestjs/common';
import { JwtService, type JwtModuleOptions, type JwtSignOptions, type JwtVerifyOptions } from '@nestjs/jwt';
import { SecretsConfig } from '../../config';
import { hmacKey } from './jwt-claims';

/**
 * What a call may pin per token kind. @nestjs/jwt merges a call's options over the module's as
 * `{ ...defaults, ...perCall }`, and V8 (Node 20) gives such an object a hidden class of its own,
 * allocated in old space, for every key the call adds that the defaults lack: four per bearer
 * request, whose garbage then forced full collections that threw away optimized code. So the
 * defaults below name every key a call may pass, and the services' signatures admit no other.
 */
export type PinnedVerifyOptions = Pick<JwtVerifyOptions, 'audience' | 'clockTolerance' | 'clockTimestamp' | 'complete'>;
export type PinnedSignOptions = Pick<JwtSignOptions, 'header'>;

/**
 * HS256 only, both ways: a token whose header names another algorithm (none, RS256 with the secret
 * as a "public key"...) is refused by the library before any claim is read (JW-01). The key is a
 * KeyObject built once at boot, so the bearer path never re-imports a string secret. The other
 * defaults are what jsonwebtoken does without them (no audience check, no tolerance, the current
 * time, the payload alone), present only so that a call's options replace values, never add keys.
 */
export function hs256(secret: string): JwtModuleOptions {
  const verifyOptions: JwtVerifyOptions & Required<PinnedVerifyOptions> = {
    algorithms: ['HS256'],
    audience: undefined as unknown as string,
    clockTolerance: 0,
    clockTimestamp: undefined as unknown as number,
    complete: false,
  };
  const signOptions: JwtSignOptions & Required<PinnedSignOptions> = { algorithm: 'HS256', header: { alg: 'HS256' } };
  return { secret: hmacKey(secret), signOptions, verifyOptions };
}

/**
 * @nestjs/jwt's JwtService whose verify takes only the options its defaults name (see
 * PinnedVerifyOptions). Signing, once per sign-in or refresh, passes only `header`.
 */
class PinnedJwtService extends JwtService {
  override verify<T extends object = object>(token: string, options?: PinnedVerifyOptions): T {
    return super.verify<T>(token, options);
  }
}

/** @nestjs/jwt's JwtService keyed with JWT_SECRET: access tokens and 2FA temporary tokens. */
export class AccessJwtService extends PinnedJwtService {}

/** @nestjs/jwt's JwtService keyed with JWT_REFRESH_SECRET: refresh tokens and the openid_user_id cookie. */
export class RefreshJwtService extends PinnedJwtService {}

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
