import * as bcrypt from 'bcrypt';
import * as bcryptjs from 'bcryptjs';
import type { RegistrationConfig, StorageConfig } from '../../config';
import { BcryptPasswordHasher, PREHASH_PREFIX } from './bcrypt-password.hasher';

const hasher = (cost = 4) => new BcryptPasswordHasher({ passwordHashCost: cost } as RegistrationConfig);
const compatHasher = (cost = 4) =>
  new BcryptPasswordHasher({ passwordHashCost: cost } as RegistrationConfig, { librechatCompatibleHashes: true } as StorageConfig);

// The same word typed three ways LibreChat hashed as they came: decomposed accent (macOS input),
// full-width digits, a ligature. Each differs from its NFKC form.
const RAW_FORMS = ['cafe\u0301-au-lait', 'pass１２３４word', 'ﬁnance-2031-pw'];

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

  it('PW-13 verifies a plain bcrypt hash of the raw password (LibreChat) and asks once to re-hash it normalised', async () => {
    const h = hasher();
    for (const raw of RAW_FORMS) {
      expect(raw.normalize('NFKC')).not.toBe(raw);
      const libreChatHash = bcryptjs.hashSync(raw, 4);
      await expect(h.verify(raw, libreChatHash)).resolves.toBe(true);
      expect(h.needsRehash(libreChatHash, raw)).toBe(true);
      const upgraded = await h.hash(raw);
      await expect(h.verify(raw, upgraded)).resolves.toBe(true);
      expect(h.needsRehash(upgraded, raw)).toBe(false);
    }
    // The fallback never turns a wrong password into a right one.
    await expect(h.verify('cafe-au-lait', bcryptjs.hashSync(RAW_FORMS[0], 4))).resolves.toBe(false);
    // Pre-hashed forms were always normalised: no raw fallback there.
    const long = `${'e\u0301'.repeat(40)}-long`;
    const prehashed = await h.hash(long);
    expect(prehashed.startsWith(PREHASH_PREFIX)).toBe(true);
    await expect(h.verify(long, prehashed)).resolves.toBe(true);
    expect(h.needsRehash(prehashed, long)).toBe(false);
  });

  it("PW-14 LibreChat-compatible mode stores only hashes LibreChat's bcryptjs verifies, and moves pre-hashes back", async () => {
    const h = compatHasher();
    const long = '😀'.repeat(18) + 'tail';
    for (const password of [...RAW_FORMS, long, 'plain ascii password']) {
      const stored = await h.hash(password);
      expect(stored).toMatch(/^\$2b\$04\$/);
      expect(bcryptjs.compareSync(password, stored)).toBe(true);
      await expect(h.verify(password, stored)).resolves.toBe(true);
      expect(h.needsRehash(stored, password)).toBe(false);
    }
    // A pre-hash written before the mode was on is replaced at the next sign-in.
    const prehashed = await hasher().hash(long);
    await expect(h.verify(long, prehashed)).resolves.toBe(true);
    expect(h.needsRehash(prehashed, long)).toBe(true);
    expect(bcryptjs.compareSync(long, prehashed)).toBe(false);
  });
});
