import * as bcrypt from 'bcrypt';
import type { RegistrationConfig } from '../../config';
import { BcryptPasswordHasher, PREHASH_PREFIX } from './bcrypt-password.hasher';

const hasher = (cost = 4) => new BcryptPasswordHasher({ passwordHashCost: cost } as RegistrationConfig);

describe('BcryptPasswordHasher', () => {
  it('hashes and verifies; rejects a wrong password', async () => {
    const h = hasher();
    const stored = await h.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$2b\$04\$/);
    await expect(h.verify('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(h.verify('correct horse battery stapl', stored)).resolves.toBe(false);
  });

  it('verifies LibreChat-style $2a$ hashes (bcryptjs, cost 10) and asks to rehash them at another cost', async () => {
    const legacy = (await bcrypt.hash('hunter2hunter2', 10)).replace(/^\$2b\$/, '$2a$');
    await expect(hasher(12).verify('hunter2hunter2', legacy)).resolves.toBe(true);
    expect(hasher(12).needsRehash(legacy, 'hunter2hunter2')).toBe(true);
    expect(hasher(10).needsRehash(legacy, 'hunter2hunter2')).toBe(false);
  });

  it('PW-04 two long passwords equal in their first 72 bytes do not verify against each other', async () => {
    const h = hasher();
    const emoji = '😀'.repeat(18); // 72 bytes
    const stored = await h.hash(`${emoji}tail-one`);
    expect(stored.startsWith(PREHASH_PREFIX)).toBe(true);
    await expect(h.verify(`${emoji}tail-one`, stored)).resolves.toBe(true);
    await expect(h.verify(`${emoji}tail-two`, stored)).resolves.toBe(false);
  });

  it('PW-04 asks to move a long password out of a truncating legacy hash', async () => {
    const long = 'x'.repeat(100);
    const legacy = await bcrypt.hash(long, 4);
    expect(hasher().needsRehash(legacy, long)).toBe(true);
    expect(hasher().needsRehash(legacy, 'short-password')).toBe(false);
  });

  it('PW-02 normalises with NFKC at set and verify', async () => {
    const h = hasher();
    const stored = await h.hash('ｐａｓｓｗｏｒｄ－１２３４'); // full-width forms
    await expect(h.verify('password-1234', stored)).resolves.toBe(true);
  });

  it('never throws on malformed hashes; the dummy verify spends a real hash and returns false', async () => {
    const h = hasher();
    await expect(h.verify('x', 'not-a-hash')).resolves.toBe(false);
    await expect(h.verify('x', '')).resolves.toBe(false);
    await expect(h.verifyDummy('anything')).resolves.toBe(false);
    expect(h.needsRehash('garbage', 'x')).toBe(true);
  });
});
