import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient, type HttpResponse } from '../../support/http';
import { PASSWORD, bearer, login, type SignedInClient } from '../auth/auth-helpers';

/** The code an authenticator app shows for `secret` at `at` (RFC 6238, SHA-1, 6 digits, 30 s). */
export function totpAt(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}

export function secretOf(otpauthUrl: string): string {
  const secret = new URL(otpauthUrl).searchParams.get('secret');
  if (!secret) throw new Error(`no secret in ${otpauthUrl}`);
  return secret;
}

export { holdClock } from '../../support/clock';

export const STEP_MS = 30_000;

/** enable → confirm through the API; returns the secret shown and the backup codes. */
export async function enrol(client: SignedInClient, now: Date): Promise<{ secret: string; backupCodes: string[]; otpauthUrl: string }> {
  const enabled = await client.http.post('/api/auth/2fa/enable', { json: {}, ...bearer(client.token) });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  const secret = secretOf(enabled.body.otpauthUrl);
  const confirmed = await client.http.post('/api/auth/2fa/confirm', { json: { token: totpAt(secret, now) }, ...bearer(client.token) });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.text}`);
  return { secret, backupCodes: enabled.body.backupCodes, otpauthUrl: enabled.body.otpauthUrl };
}

/** The password step of a 2FA account: the temp token (and the response, to check it set no cookie). */
export async function passwordStep(
  app: RunningApp,
  email: string,
  headers?: Record<string, string>,
): Promise<{ tempToken: string; res: HttpResponse; http: HttpClient }> {
  const http = new HttpClient(app.url);
  const res = await login(http, email, PASSWORD, headers);
  return { tempToken: res.body?.tempToken, res, http };
}

/** LibreChat's documented storage of a TOTP secret (docs/two-factor.md): `v3:<iv hex>:<AES-256-CTR hex>` with CREDS_KEY. */
export function libreChatEncryptV3(secret: string, credsKeyHex: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-ctr', Buffer.from(credsKeyHex, 'hex'), iv);
  return `v3:${iv.toString('hex')}:${Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]).toString('hex')}`;
}

/** LibreChat's older "v2" form: `<iv hex>:<AES-256-CBC hex>` with CREDS_KEY. */
export function libreChatEncryptV2(secret: string, credsKeyHex: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(credsKeyHex, 'hex'), iv);
  return `${iv.toString('hex')}:${Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]).toString('hex')}`;
}

/** LibreChat's backup codes: 4 random bytes as hex, stored as `{codeHash: sha256 hex, used, usedAt}`. */
export function libreChatBackupCodes(count = 10): { plain: string[]; stored: { codeHash: string; used: boolean; usedAt: null }[] } {
  const plain = Array.from({ length: count }, () => randomBytes(4).toString('hex'));
  return { plain, stored: plain.map((code) => ({ codeHash: createHash('sha256').update(code).digest('hex'), used: false, usedAt: null })) };
}

/** LibreChat's secret: 10 random bytes in Base32, no padding. */
export function libreChatSecret(): string {
  return new Secret({ buffer: new Uint8Array(randomBytes(10)).buffer }).base32;
}
