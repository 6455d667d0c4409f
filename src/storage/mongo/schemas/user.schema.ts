import { Schema, Types } from 'mongoose';

/** Same model name and collection as LibreChat, so both applications share one `users` collection. */
export const USER_MODEL = 'User';
export const USER_COLLECTION = 'users';

/** The provider-id fields that carry a unique partial index (openidId is indexed with its issuer). */
export const INDEXED_PROVIDER_FIELDS = ['googleId', 'facebookId', 'githubId', 'discordId', 'ldapId', 'appleId', 'samlId'] as const;

/** LibreChat's backup-code element: the SHA-256 hex of the code, never the code. */
export interface BackupCodeDoc {
  codeHash: string;
  used: boolean;
  usedAt: Date | null;
}

const BackupCodeSchema = new Schema<BackupCodeDoc>(
  {
    codeHash: { type: String, required: true },
    used: { type: Boolean, default: false },
    usedAt: { type: Date, default: null },
  },
  { _id: false },
);

export interface UserDoc {
  _id: Types.ObjectId;
  name?: string;
  username?: string;
  email: string;
  emailVerified: boolean;
  password?: string;
  avatar?: string;
  provider: string;
  role?: string;
  googleId?: string;
  facebookId?: string;
  openidId?: string;
  openidIssuer?: string;
  githubId?: string;
  discordId?: string;
  samlId?: string;
  ldapId?: string;
  appleId?: string;
  idOnTheSource?: string;
  twoFactorEnabled?: boolean;
  totpSecret?: string | null;
  backupCodes?: BackupCodeDoc[];
  pendingTotpSecret?: string | null;
  pendingBackupCodes?: BackupCodeDoc[];
  termsAccepted?: boolean;
  /** Gatehouse's own field (an administrator disabled the account); LibreChat does not read it. Only ever stored as true. */
  disabled?: boolean;
  expiresAt?: Date;
  plugins?: unknown[];
  createdAt?: Date;
  updatedAt?: Date;
}

/**
 * Field definitions and index options mirror LibreChat's user schema (packages/data-schemas):
 * createIndex with the same key pattern but different options fails with IndexOptionsConflict,
 * so they must stay identical. The second-factor fields (totpSecret, backupCodes and their pending
 * twins) are declared with LibreChat's names, shapes and `select: false`; the user repository
 * never reads them, only the two-factor repository does. Other fields LibreChat adds (tenantId,
 * ...) are not declared: we never write them and `lean()` reads return them untouched.
 */
export const UserSchema = new Schema<UserDoc>(
  {
    name: { type: String },
    username: { type: String, lowercase: true, default: '' },
    email: { type: String, required: true, lowercase: true, index: true },
    emailVerified: { type: Boolean, required: true, default: false },
    // select: false as in LibreChat; the repository asks for it with `+password`.
    password: { type: String, select: false },
    avatar: { type: String },
    provider: { type: String, required: true, default: 'local' },
    role: { type: String, default: 'USER' },
    googleId: { type: String },
    facebookId: { type: String },
    openidId: { type: String },
    openidIssuer: { type: String },
    githubId: { type: String },
    discordId: { type: String },
    samlId: { type: String },
    ldapId: { type: String },
    appleId: { type: String },
    idOnTheSource: { type: String },
    twoFactorEnabled: { type: Boolean, default: false },
    totpSecret: { type: String, select: false },
    backupCodes: { type: [BackupCodeSchema], select: false },
    pendingTotpSecret: { type: String, select: false },
    pendingBackupCodes: { type: [BackupCodeSchema], select: false },
    termsAccepted: { type: Boolean, default: false },
    disabled: { type: Boolean },
    // LibreChat's TTL removes the document 7 days AFTER this date; kept for index compatibility.
    // deleteExpired() removes accounts at the date itself.
    expiresAt: { type: Date, expires: 604800 },
    plugins: { type: Array },
  },
  { collection: USER_COLLECTION, timestamps: true },
);

// Documents without tenantId index it as null, so single-tenant emails stay unique.
UserSchema.index({ email: 1, tenantId: 1 }, { unique: true });
// Partial on $exists: a stored null would count as a value, so absent ids are unset, never null.
UserSchema.index({ openidId: 1, openidIssuer: 1, tenantId: 1 }, { unique: true, partialFilterExpression: { openidId: { $exists: true } } });
for (const field of INDEXED_PROVIDER_FIELDS) {
  UserSchema.index({ [field]: 1, tenantId: 1 }, { unique: true, partialFilterExpression: { [field]: { $exists: true } } });
}
