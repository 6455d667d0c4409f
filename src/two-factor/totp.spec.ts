import { createCipheriv, randomBytes } from 'node:crypto';
import { issuerOf, matchingStep, newTotpSecret, otpauthUrl } from './totp';
import { TotpSecretCipher } from './totp-secret.cipher';

// RFC 6238 Appendix B: the ASCII secret "12345678901234567890" (Base32 below), SHA-1.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP settings', () => {
  it('matches the RFC 6238 SHA-1 vectors (last 6 digits) and returns the time step', () => {
    expect(matchingStep(RFC_SECRET, '287082', new Date(59_000))).toBe(1);
    expect(matchingStep(RFC_SECRET, '081804', new Date(1111111109_000))).toBe(37037036);
    expect(matchingStep(RFC_SECRET, '005924', new Date(1234567890_000))).toBe(41152263);
  });

  it('accepts one step of drift either side and nothing further', () => {
    const at = new Date(1234567890_000);
    expect(matchingStep(RFC_SECRET, '005924', new Date(at.getTime() + 30_000))).toBe(41152263);
    expect(matchingStep(RFC_SECRET, '005924', new Date(at.getTime() - 30_000))).toBe(41152263);
    expect(matchingStep(RFC_SECRET, '005924', new Date(at.getTime() + 60_000))).toBeNull();
    expect(matchingStep(RFC_SECRET, 'abcdef', at)).toBeNull();
    expect(matchingStep('not base32!', '005924', at)).toBeNull();
  });

  it("makes LibreChat-sized secrets and LibreChat's issuer", () => {
    expect(newTotpSecret()).toMatch(/^[A-Z2-7]{16}$/);
    expect(issuerOf('Acme  Chat\t')).toBe('AcmeChat');
    const url = new URL(otpauthUrl(RFC_SECRET, 'AcmeChat', 'ada@example.com'));
    expect(url.searchParams.get('secret')).toBe(RFC_SECRET);
    expect(url.searchParams.get('issuer')).toBe('AcmeChat');
  });
});

describe('TotpSecretCipher', () => {
  const key = 'ab'.repeat(32);
  const cipher = new TotpSecretCipher(key);

  it("round-trips in LibreChat's v3 format with a fresh IV each time", () => {
    const a = cipher.encrypt(RFC_SECRET);
    expect(a).toMatch(/^v3:[0-9a-f]{32}:[0-9a-f]+$/);
    expect(cipher.encrypt(RFC_SECRET)).not.toBe(a);
    expect(cipher.decrypt(a)).toBe(RFC_SECRET);
  });

  it('reads the older CBC form and plain secrets; an unreadable value is null, never a throw', () => {
    const iv = randomBytes(16);
    const c = createCipheriv('aes-256-cbc', Buffer.from(key, 'hex'), iv);
    const v2 = `${iv.toString('hex')}:${Buffer.concat([c.update(RFC_SECRET), c.final()]).toString('hex')}`;
    expect(cipher.decrypt(v2)).toBe(RFC_SECRET);
    expect(cipher.decrypt(RFC_SECRET)).toBe(RFC_SECRET);
    expect(new TotpSecretCipher('cd'.repeat(32)).decrypt(v2)).toBeNull();
    expect(() => new TotpSecretCipher('abcd')).toThrow(/CREDS_KEY/);
  });
});
