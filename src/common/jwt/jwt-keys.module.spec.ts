import type * as JsonWebToken from 'jsonwebtoken';
import { AccessJwtService, hs256, type PinnedVerifyOptions } from './jwt-keys.module';

// The module object @nestjs/jwt itself calls, not an import's interop copy, so the spy sees its calls.
const jsonwebtoken = require('jsonwebtoken') as typeof JsonWebToken;

describe('JwtService options pinned by the module (no per-call keys)', () => {
  const service = new AccessJwtService(hs256('a-secret-of-enough-length-for-tests'));
  const defaults = Object.keys(hs256('x').verifyOptions ?? {});

  afterEach(() => jest.restoreAllMocks());

  // Each shape a verify call in the service passes (access token, 2FA temp token, refresh token, openid_user_id cookie).
  const shapes: PinnedVerifyOptions[] = [
    { audience: 'gatehouse:access', clockTolerance: 5, clockTimestamp: 1_800_000_000, complete: true },
    { audience: 'gatehouse:2fa', clockTimestamp: 1_800_000_000, complete: true },
    { clockTolerance: 5, clockTimestamp: 1_800_000_000, complete: true },
    { audience: 'gatehouse:openid-user', complete: true },
  ];

  it.each(shapes)('the options reaching jsonwebtoken have exactly the defaults’ keys: %p', (options) => {
    const token = service.sign({ aud: options.audience ?? 'any', iat: 1_800_000_000, exp: 1_800_000_600 });
    const verify = jest.spyOn(jsonwebtoken, 'verify');
    service.verify(token, options);
    const merged = verify.mock.calls[0][2] as Record<string, unknown>;
    // An added key would give every merged object a hidden class of its own (jwt-keys.module.ts).
    expect(Object.keys(merged)).toEqual(defaults);
    for (const [key, value] of Object.entries(options)) expect(merged[key]).toEqual(value);
  });

  it('JW-01 the placeholders change nothing: HS256 only, the audience checked when pinned, expiry against the given time', () => {
    const token = service.sign({ aud: 'gatehouse:access', iat: 1_800_000_000, exp: 1_800_000_600 });
    expect(service.verify<{ aud: string }>(token, { clockTimestamp: 1_800_000_100 }).aud).toBe('gatehouse:access');
    expect(() => service.verify(token, { audience: 'gatehouse:2fa', clockTimestamp: 1_800_000_100 })).toThrow(/audience invalid/);
    expect(() => service.verify(token, { clockTimestamp: 1_800_000_601 })).toThrow(/jwt expired/);
    const none = jsonwebtoken.sign({ aud: 'gatehouse:access' }, '', { algorithm: 'none' });
    expect(() => service.verify(none, { clockTimestamp: 1_800_000_100 })).toThrow();
  });
});
