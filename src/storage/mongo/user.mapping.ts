import { Types } from 'mongoose';
import { NewUser, PROVIDER_ID_FIELDS, ProviderIdField, UserPatch, UserRecord } from '../ports';
import { duplicateKeyFields } from './mongo-errors';
import { creationTimeOf, idToString, optionalDate, optionalString } from './object-id';
import { UserDoc } from './schemas/user.schema';

export const DEFAULT_ROLE = 'USER';

/** Port fields where null means "absent": they are `$unset`, never stored as null (see the partial indexes). */
const NULLABLE_FIELDS = [
  'name',
  'username',
  'password',
  'avatar',
  'googleId',
  'facebookId',
  'githubId',
  'discordId',
  'samlId',
  'openidId',
  'openidIssuer',
  'ldapId',
  'appleId',
  'idOnTheSource',
  'expiresAt',
] as const satisfies readonly (keyof UserRecord)[];

const REQUIRED_FIELDS = ['provider', 'role', 'emailVerified', 'twoFactorEnabled', 'termsAccepted'] as const satisfies readonly (keyof UserRecord)[];

export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The document `create` inserts: null and undefined fields are left out entirely. */
export function buildUserInsert(input: NewUser, role: string, id: Types.ObjectId): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    _id: id,
    email: canonicalEmail(input.email),
    emailVerified: input.emailVerified ?? false,
    provider: input.provider ?? 'local',
    role,
    twoFactorEnabled: input.twoFactorEnabled ?? false,
    termsAccepted: input.termsAccepted ?? false,
  };
  // Written only when true, so documents LibreChat reads carry no new field for ordinary accounts.
  if (input.disabled) doc.disabled = true;
  for (const field of NULLABLE_FIELDS) {
    const value = input[field];
    if (value !== null && value !== undefined) doc[field] = value;
  }
  return doc;
}

export interface UserUpdate {
  $set?: Record<string, unknown>;
  $unset?: Record<string, 1>;
}

/**
 * Touches only the named fields so whatever else LibreChat keeps on the document (totpSecret,
 * backupCodes, personalization, ...) survives. Null on a nullable field unsets it.
 */
export function buildUserUpdate(patch: UserPatch): UserUpdate | null {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  if (typeof patch.email === 'string') $set.email = canonicalEmail(patch.email);
  for (const field of REQUIRED_FIELDS) {
    const value = patch[field];
    if (value !== null && value !== undefined) $set[field] = value;
  }
  for (const field of NULLABLE_FIELDS) {
    if (!(field in patch) || patch[field] === undefined) continue;
    const value = patch[field];
    if (value === null) $unset[field] = 1;
    else $set[field] = value;
  }
  if (patch.disabled === true) $set.disabled = true;
  else if (patch.disabled === false) $unset.disabled = 1;
  // LibreChat's schema lower-cases usernames; said here too so the update does not rely on casting.
  if (typeof $set.username === 'string') $set.username = $set.username.toLowerCase();
  const update: UserUpdate = {};
  if (Object.keys($set).length > 0) update.$set = $set;
  if (Object.keys($unset).length > 0) update.$unset = $unset;
  return update.$set || update.$unset ? update : null;
}

/**
 * `issuer` only narrows `openidId` lookups: a string must match exactly, null matches a missing,
 * null or empty issuer (LibreChat leaves it unset for older accounts), undefined ignores it.
 */
export function providerIdFilter(field: ProviderIdField, value: string, issuer?: string | null): Record<string, unknown> {
  const filter: Record<string, unknown> = { [field]: value };
  if (field === 'openidId' && issuer !== undefined) {
    filter.openidIssuer = issuer === null ? { $in: [null, ''] } : issuer;
  }
  return filter;
}

/** A case-insensitive substring match on the fields an administrator searches by. */
export function userSearchFilter(text: string | undefined, after: { at: number; id: string } | null): Record<string, unknown> {
  const clauses: Record<string, unknown>[] = [];
  const needle = text?.trim();
  if (needle) {
    const pattern = { $regex: needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    clauses.push({ $or: [{ email: pattern }, { name: pattern }, { username: pattern }] });
  }
  if (after) {
    const at = new Date(after.at);
    clauses.push({ $or: [{ createdAt: { $gt: at } }, { createdAt: at, _id: { $gt: new Types.ObjectId(after.id) } }] });
  }
  return clauses.length === 0 ? {} : clauses.length === 1 ? clauses[0] : { $and: clauses };
}

/** Which user field a duplicate-key error is about, derived from the violated index. */
export function duplicateUserField(err: unknown): string {
  const fields = duplicateKeyFields(err);
  const known: readonly string[] = ['email', ...PROVIDER_ID_FIELDS];
  return fields.find((f) => known.includes(f)) ?? fields.find((f) => f !== 'tenantId') ?? 'email';
}

export function toUserRecord(doc: UserDoc): UserRecord {
  const createdAt = optionalDate(doc.createdAt) ?? creationTimeOf(doc._id);
  return {
    id: idToString(doc._id),
    email: doc.email,
    name: optionalString(doc.name),
    // LibreChat's schema defaults username to '', its way of saying "none".
    username: doc.username ? doc.username : null,
    password: optionalString(doc.password),
    emailVerified: doc.emailVerified === true,
    avatar: optionalString(doc.avatar),
    provider: doc.provider ?? 'local',
    role: doc.role ?? DEFAULT_ROLE,
    googleId: optionalString(doc.googleId),
    facebookId: optionalString(doc.facebookId),
    githubId: optionalString(doc.githubId),
    discordId: optionalString(doc.discordId),
    samlId: optionalString(doc.samlId),
    openidId: optionalString(doc.openidId),
    openidIssuer: optionalString(doc.openidIssuer),
    ldapId: optionalString(doc.ldapId),
    appleId: optionalString(doc.appleId),
    idOnTheSource: optionalString(doc.idOnTheSource),
    twoFactorEnabled: doc.twoFactorEnabled === true,
    termsAccepted: doc.termsAccepted === true,
    disabled: doc.disabled === true,
    expiresAt: optionalDate(doc.expiresAt),
    createdAt,
    updatedAt: optionalDate(doc.updatedAt) ?? createdAt,
  };
}
