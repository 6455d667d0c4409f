import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * TOTP secrets at rest, in LibreChat's format so one database serves both applications:
 * `v3:<iv hex>:<ciphertext hex>`, AES-256-CTR with the `CREDS_KEY` bytes and a fresh 16-byte IV.
 * Reads also accept LibreChat's older forms: `<iv hex>:<ciphertext hex>` (AES-256-CBC, "v2")
 * and a plain Base32 secret. CTR has no integrity check, which is LibreChat's choice; a
 * tampered value simply decrypts to a secret that verifies no code.
 */
export class TotpSecretCipher {
  private readonly key: Buffer;

  constructor(credsKeyHex: string) {
    this.key = Buffer.from(credsKeyHex, 'hex');
    if (this.key.length !== 32) throw new Error('CREDS_KEY must be 32 bytes (64 hex characters) to protect TOTP secrets');
  }

  encrypt(secret: string): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-ctr', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `v3:${iv.toString('hex')}:${body.toString('hex')}`;
  }

  /** Null when the stored value cannot be read with this key (corrupted, or another key's CBC). */
  decrypt(stored: string): string | null {
    try {
      if (stored.startsWith('v3:')) {
        const [, ivHex, ...rest] = stored.split(':');
        const decipher = createDecipheriv('aes-256-ctr', this.key, Buffer.from(ivHex, 'hex'));
        return Buffer.concat([decipher.update(Buffer.from(rest.join(':'), 'hex')), decipher.final()]).toString('utf8');
      }
      if (stored.includes(':')) {
        const [ivHex, ...rest] = stored.split(':');
        const decipher = createDecipheriv('aes-256-cbc', this.key, Buffer.from(ivHex, 'hex'));
        return Buffer.concat([decipher.update(Buffer.from(rest.join(':'), 'hex')), decipher.final()]).toString('utf8');
      }
      return stored;
    } catch {
      return null;
    }
  }
}
