import { NewUser, ProviderIdField, UserRecord } from '../ports';
import { Millis, canonicalEmail, fromFlag, fromMillis, fromMillisOrNull, toFlag, toMillis, toMillisOrNull } from './row-mapping';

/** A `users` row as better-sqlite3 returns it and as the statements bind it. */
export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  username: string | null;
  password: string | null;
  email_verified: number;
  avatar: string | null;
  provider: string;
  role: string;
  google_id: string | null;
  facebook_id: string | null;
  github_id: string | null;
  discord_id: string | null;
  saml_id: string | null;
  openid_id: string | null;
  openid_issuer: string | null;
  ldap_id: string | null;
  apple_id: string | null;
  id_on_the_source: string | null;
  two_factor_enabled: number;
  terms_accepted: number;
  disabled: number;
  expires_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'username',
  'password',
  'email_verified',
  'avatar',
  'provider',
  'role',
  'google_id',
  'facebook_id',
  'github_id',
  'discord_id',
  'saml_id',
  'openid_id',
  'openid_issuer',
  'ldap_id',
  'apple_id',
  'id_on_the_source',
  'two_factor_enabled',
  'terms_accepted',
  'disabled',
  'expires_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof UserRow)[];

export const PROVIDER_COLUMNS: Record<ProviderIdField, keyof UserRow> = {
  googleId: 'google_id',
  facebookId: 'facebook_id',
  githubId: 'github_id',
  discordId: 'discord_id',
  samlId: 'saml_id',
  openidId: 'openid_id',
  ldapId: 'ldap_id',
  appleId: 'apple_id',
};

export function userFromRow(r: UserRow): UserRecord {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    username: r.username,
    password: r.password,
    emailVerified: fromFlag(r.email_verified),
    avatar: r.avatar,
    provider: r.provider,
    role: r.role,
    googleId: r.google_id,
    facebookId: r.facebook_id,
    githubId: r.github_id,
    discordId: r.discord_id,
    samlId: r.saml_id,
    openidId: r.openid_id,
    openidIssuer: r.openid_issuer,
    ldapId: r.ldap_id ?? null,
    appleId: r.apple_id ?? null,
    idOnTheSource: r.id_on_the_source,
    twoFactorEnabled: fromFlag(r.two_factor_enabled),
    termsAccepted: fromFlag(r.terms_accepted),
    disabled: fromFlag(r.disabled ?? 0),
    expiresAt: fromMillisOrNull(r.expires_at),
    createdAt: fromMillis(r.created_at),
    updatedAt: fromMillis(r.updated_at),
  };
}

/** Full row for a record; the defaults of a new user live in `newUserRecord`. */
export function userToRow(u: UserRecord): UserRow {
  return {
    id: u.id,
    email: canonicalEmail(u.email),
    name: u.name,
    // Lower-cased as LibreChat's schema (and so the Mongo adapter) stores it (MB-22).
    username: u.username === null ? null : u.username.toLowerCase(),
    password: u.password,
    email_verified: toFlag(u.emailVerified),
    avatar: u.avatar,
    provider: u.provider,
    role: u.role,
    google_id: u.googleId,
    facebook_id: u.facebookId,
    github_id: u.githubId,
    discord_id: u.discordId,
    saml_id: u.samlId,
    openid_id: u.openidId,
    openid_issuer: u.openidIssuer,
    ldap_id: u.ldapId,
    apple_id: u.appleId,
    id_on_the_source: u.idOnTheSource,
    two_factor_enabled: toFlag(u.twoFactorEnabled),
    terms_accepted: toFlag(u.termsAccepted),
    disabled: toFlag(u.disabled),
    expires_at: toMillisOrNull(u.expiresAt),
    created_at: toMillis(u.createdAt),
    updated_at: toMillis(u.updatedAt),
  };
}

export function newUserRecord(input: NewUser, id: string, role: string, now: Date): UserRecord {
  return {
    id,
    email: canonicalEmail(input.email),
    name: input.name ?? null,
    username: input.username ?? null,
    password: input.password ?? null,
    emailVerified: input.emailVerified ?? false,
    avatar: input.avatar ?? null,
    provider: input.provider ?? 'local',
    role,
    googleId: input.googleId ?? null,
    facebookId: input.facebookId ?? null,
    githubId: input.githubId ?? null,
    discordId: input.discordId ?? null,
    samlId: input.samlId ?? null,
    openidId: input.openidId ?? null,
    openidIssuer: input.openidIssuer ?? null,
    ldapId: input.ldapId ?? null,
    appleId: input.appleId ?? null,
    idOnTheSource: input.idOnTheSource ?? null,
    twoFactorEnabled: input.twoFactorEnabled ?? false,
    termsAccepted: input.termsAccepted ?? false,
    disabled: input.disabled ?? false,
    expiresAt: input.expiresAt ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Which unique field a constraint error is about, from SQLite's message. */
export function duplicateFieldOf(message: string): string {
  if (message.includes('users.email') || message.includes('users_email_uq')) return 'email';
  for (const [field, column] of Object.entries(PROVIDER_COLUMNS)) {
    if (message.includes(`users.${column}`) || message.includes(`users_${column}_uq`)) return field;
  }
  return message.includes('users.id') ? 'id' : 'unknown';
}
