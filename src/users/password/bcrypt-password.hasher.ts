import { createHmac, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Injectable, OnModuleInit } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { Semaphore } from '../../common/semaphore';
import { RegistrationConfig, StorageConfig } from '../../config';
import { PasswordHasher } from './password-hasher';

/** bcrypt reads at most 72 bytes; longer input is pre-hashed and the hash is marked as such. */
const BCRYPT_MAX_BYTES = 72;
export const PREHASH_PREFIX = '$gh-sha256$';
const PREHASH_KEY = 'gatehouse/bcrypt-prehash/v1';

/** How many "verified only in the raw form" hashes are remembered until needsRehash asks. */
const RAW_MATCH_MEMORY = 1000;

/**
 * Native bcrypt (libuv thread pool). Compatible with LibreChat's `$2a$`/`$2b$` hashes.
 * Passwords longer than 72 UTF-8 bytes are HMAC-SHA-256 pre-hashed (base64, 44 bytes) instead of
 * being silently truncated (PW-04); such hashes carry PREHASH_PREFIX so verification knows.
 * Passwords are NFKC-normalised at set and verify (PW-02); a plain bcrypt hash is also tried
 * against the password as typed, which is what LibreChat hashed (PW-13).
 *
 * LibreChat-compatible mode (PASSWORD_HASH_LIBRECHAT_COMPAT, on by default with MongoDB): every
 * stored hash is one LibreChat's bcryptjs verifies — plain bcrypt of the password as typed, never
 * the pre-hash form (PW-14). Long passwords are then truncated at 72 bytes, as LibreChat does.
 */
@Injectable()
export class BcryptPasswordHasher extends PasswordHasher implements OnModuleInit {
  private readonly cost: number;
  private dummyHash: Promise<string> | null = null;
  // One hash per core: more only queues on the libuv pool and starves other pool users.
  private readonly slots = new Semaphore(Math.max(1, availableParallelism()));
  private readonly librechatCompatible: boolean;
  /**
   * Hashes that just verified only against the raw form. verify() and needsRehash() are separate
   * calls of the port; remembering the hash (not the password) links them without a second bcrypt.
   */
  private readonly rawMatches = new Set<string>();

  constructor(registration: RegistrationConfig, storage?: StorageConfig) {
    super();
    this.cost = registration.passwordHashCost;
    this.librechatCompatible = storage?.librechatCompatibleHashes ?? false;
  }

  /**
   * The dummy hash is started at boot (not awaited, to keep start-up fast) so the first
   * unknown-email login costs what the others do.
   */
  onModuleInit(): void {
    this.dummy().catch(() => {
      this.dummyHash = null;
    });
  }

  async hash(password: string): Promise<string> {
    if (this.librechatCompatible) return this.slots.run(() => bcrypt.hash(password, this.cost));
    const input = normalise(password);
    if (Buffer.byteLength(input, 'utf8') > BCRYPT_MAX_BYTES) {
      return PREHASH_PREFIX + (await this.slots.run(() => bcrypt.hash(prehash(input), this.cost)));
    }
    return this.slots.run(() => bcrypt.hash(input, this.cost));
  }

  async verify(password: string, hash: string): Promise<boolean> {
    const input = normalise(password);
    try {
      if (hash.startsWith(PREHASH_PREFIX)) return await this.compare(prehash(input), hash.slice(PREHASH_PREFIX.length));
      if (!/^\$2[aby]\$\d{2}\$/.test(hash)) return false;
      if (await this.compare(input, hash)) return true;
      // LibreChat hashed the raw string: decomposed accents (macOS input), full-width digits and
      // ligatures differ from their NFKC form. Only a plain bcrypt hash can come from there.
      if (input === password || !(await this.compare(password, hash))) return false;
      this.rememberRawMatch(hash);
      return true;
    } catch {
      return false;
    }
  }

  needsRehash(hash: string, password: string): boolean {
    const rawMatch = this.rawMatches.delete(hash);
    const prehashed = hash.startsWith(PREHASH_PREFIX);
    const match = /^\$2[aby]\$(\d{2})\$/.exec(prehashed ? hash.slice(PREHASH_PREFIX.length) : hash);
    if (!match || Number(match[1]) !== this.cost) return true;
    // Compatible mode: the pre-hash form is one LibreChat cannot read; raw-form hashes are its form.
    if (this.librechatCompatible) return prehashed;
    // Verified only as typed: store the normalised form, so the next sign-in needs one bcrypt.
    if (rawMatch) return true;
    // A long password stored by a truncating hasher (LibreChat's bcryptjs) moves to the pre-hash form.
    return !prehashed && requiresPrehash(password);
  }

  async verifyDummy(password: string): Promise<false> {
    await this.compare(normalise(password), await this.dummy());
    return false;
  }

  private rememberRawMatch(hash: string): void {
    if (this.rawMatches.size >= RAW_MATCH_MEMORY) {
      const oldest = this.rawMatches.values().next().value;
      if (oldest !== undefined) this.rawMatches.delete(oldest);
    }
    this.rawMatches.add(hash);
  }

  private compare(input: string, hash: string): Promise<boolean> {
    return this.slots.run(() => bcrypt.compare(input, hash));
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), this.cost);
    return this.dummyHash;
  }
}

function normalise(password: string): string {
  return password.normalize('NFKC');
}

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(password, 'utf8').digest('base64');
}

/** Whether a password of this length must be stored in the pre-hashed form. */
export function requiresPrehash(password: string): boolean {
  return Buffer.byteLength(normalise(password), 'utf8') > BCRYPT_MAX_BYTES;
}
