import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RawSecrets, SecretSettings } from './schemas/secrets.schema';

/**
 * Values shipped in example env files (ours and LibreChat's). A deployment that still carries one
 * is as good as unauthenticated, so production refuses to boot with them (RL-11).
 */
const KNOWN_EXAMPLE_VALUES = new Set([
  '16f8c0ef4a5d391b26034086c628469d3f9f497f08163ab9b40137092f2909ef',
  'eaa5191f2914e30b9387fd84e254e4ba6fc51b4654968a9b0803b456a54b8418',
  'f34be427ebb29de8d88c107a71546019685ed8b241d8f2ed00c3df97ad2566f0',
  'e2341419ec3dd3d19b13a1a87fafcbfb',
  'secret',
  'changeme',
]);
const PLACEHOLDER = /^(change[-_ ]?me|replace[-_ ]?me|your[-_])/i;
export const DEV_SECRETS_FILE = 'dev-secrets.json';

interface Context {
  production: boolean;
  dataDir: string;
  openidEnabled: boolean;
  /** False when the boot fails anyway: then nothing is generated or written. */
  mayWrite: boolean;
}

type Name = 'JWT_SECRET' | 'JWT_REFRESH_SECRET' | 'CREDS_KEY' | 'OPENID_SESSION_SECRET';
const GENERATORS: Record<Name, () => string> = {
  JWT_SECRET: () => randomBytes(32).toString('hex'),
  JWT_REFRESH_SECRET: () => randomBytes(32).toString('hex'),
  CREDS_KEY: () => randomBytes(32).toString('hex'),
  OPENID_SESSION_SECRET: () => randomBytes(32).toString('hex'),
};

export function isPlaceholderSecret(value: string): boolean {
  return KNOWN_EXAMPLE_VALUES.has(value.toLowerCase()) || PLACEHOLDER.test(value);
}

/**
 * Production: every needed secret must be given, strong and not a placeholder.
 * Development: missing ones are generated once and kept in DATA_DIR, so sessions survive restarts.
 */
export function resolveSecrets(raw: RawSecrets, ctx: Context, problems: string[], warnings: string[]): SecretSettings | null {
  const needed: Name[] = ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'CREDS_KEY', ...(ctx.openidEnabled ? (['OPENID_SESSION_SECRET'] as const) : [])];
  const values: Partial<Record<Name, string>> = {};
  const missing: Name[] = [];
  for (const name of needed) {
    const value = raw[name];
    if (value === undefined) missing.push(name);
    else values[name] = value;
    if (value === undefined) continue;
    if (isPlaceholderSecret(value)) {
      (ctx.production ? problems : warnings).push(`${name}: is a placeholder or published example value; generate a new one, e.g. with: openssl rand -hex 32`);
    } else if (name !== 'CREDS_KEY' && value.length < 32) {
      (ctx.production ? problems : warnings).push(`${name}: is too short (${value.length} characters); expected at least 32 random characters`);
    }
  }
  if (raw.CREDS_IV !== undefined && isPlaceholderSecret(raw.CREDS_IV)) {
    (ctx.production ? problems : warnings).push('CREDS_IV: is a published example value; generate a new one, e.g. with: openssl rand -hex 16');
  }
  if (values.JWT_SECRET !== undefined && values.JWT_SECRET === values.JWT_REFRESH_SECRET) {
    (ctx.production ? problems : warnings).push('JWT_REFRESH_SECRET: must differ from JWT_SECRET, so one kind of token can never pass for the other');
  }
  if (ctx.production) {
    for (const name of missing) problems.push(`${name}: is required in production; expected a random value, e.g. from: openssl rand -hex 32`);
    return missing.length ? null : finish(values, raw);
  }
  if (missing.length && !ctx.mayWrite) return null;
  if (missing.length) {
    const file = path.join(ctx.dataDir, DEV_SECRETS_FILE);
    try {
      Object.assign(values, loadOrCreateDevSecrets(file, missing));
    } catch (err) {
      problems.push(
        `DATA_DIR: cannot keep generated development secrets in ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); set ${missing.join(', ')} or make DATA_DIR writable`,
      );
      return null;
    }
    warnings.push(
      `${missing.join(', ')} not set: using generated development values kept in ${file}. Set them explicitly before production (NODE_ENV=production refuses to start without them).`,
    );
  }
  return finish(values, raw);
}

function finish(values: Partial<Record<Name, string>>, raw: RawSecrets): SecretSettings {
  return {
    jwtSecret: values.JWT_SECRET ?? '',
    jwtRefreshSecret: values.JWT_REFRESH_SECRET ?? '',
    credsKey: values.CREDS_KEY ?? '',
    credsIv: raw.CREDS_IV ?? null,
    openidSessionSecret: values.OPENID_SESSION_SECRET ?? null,
  };
}

function loadOrCreateDevSecrets(file: string, names: Name[]): Partial<Record<Name, string>> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const stored: Partial<Record<Name, string>> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const name of names) {
    if (typeof stored[name] !== 'string' || stored[name] === '') {
      stored[name] = GENERATORS[name]();
      changed = true;
    }
  }
  if (changed) fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return Object.fromEntries(names.map((n) => [n, stored[n] as string]));
}
