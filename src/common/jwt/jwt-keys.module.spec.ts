import { createHmac, KeyObject } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SecretsConfig } from '../../config';
import { AccessJwtService, JwtKeysModule, RefreshJwtService } from './jwt-keys.module';

const secrets = { jwtSecret: 'a'.repeat(64), jwtRefreshSecret: 'b'.repeat(64), credsKey: 'c'.repeat(64), credsIv: null, openidSessionSecret: null };

/** In the app SecretsConfig comes from the global ConfigModule; here from a stand-in. */
@Global()
@Module({ providers: [{ provide: SecretsConfig, useValue: secrets }], exports: [SecretsConfig] })
class SecretsStandIn {}

async function services() {
  const moduleRef = await Test.createTestingModule({ imports: [SecretsStandIn, JwtKeysModule] }).compile();
  return { access: moduleRef.get(AccessJwtService), refresh: moduleRef.get(RefreshJwtService) };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function hand(header: object, payload: object, secret: string, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

describe('JwtKeysModule (@nestjs/jwt, one HS256 KeyObject per secret)', () => {
  it('keys each JwtService with a KeyObject built once, not a string re-imported per call', async () => {
    const { access, refresh } = await services();
    const keyOf = (svc: unknown) => (svc as { options: { secret: unknown } }).options.secret;
    expect(keyOf(access)).toBeInstanceOf(KeyObject);
    expect(keyOf(refresh)).toBeInstanceOf(KeyObject);
    expect(keyOf(access)).not.toBe(keyOf(refresh));
  });

  it('JW-01 signs HS256 and refuses any other algorithm, even with the right secret', async () => {
    const { access } = await services();
    const token = access.sign({ sub: 'u' });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg).toBe('HS256');
    expect(access.verify<{ sub: string }>(token).sub).toBe('u');
    expect(() => access.verify(hand({ alg: 'HS512', typ: 'JWT' }, { sub: 'u' }, secrets.jwtSecret, 'sha512'))).toThrow(/invalid algorithm/);
    expect(() => access.verify(`${b64({ alg: 'none' })}.${b64({ sub: 'u' })}.`)).toThrow();
  });

  it('JW-03 a token signed with one secret never verifies with the other', async () => {
    const { access, refresh } = await services();
    expect(() => refresh.verify(access.sign({ sub: 'u' }))).toThrow(/invalid signature/);
    expect(() => access.verify(refresh.sign({ sub: 'u' }))).toThrow(/invalid signature/);
  });
});
