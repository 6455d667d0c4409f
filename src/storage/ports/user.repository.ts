/** Identity fields a user can be found by, one per external provider. */
export const PROVIDER_ID_FIELDS = ['googleId', 'facebookId', 'githubId', 'discordId', 'samlId', 'openidId', 'ldapId', 'appleId'] as const;
export type ProviderIdField = (typeof PROVIDER_ID_FIELDS)[number];

/**
 * A user as every adapter stores it. Field names follow LibreChat's `users` collection
 * (docs/librechat-differences.md#data-model) so a MongoDB that LibreChat wrote can be used as it is.
 */
export interface UserRecord {
  id: string;
  /** Canonical form: trimmed and lower-cased. Unique. */
  email: string;
  name: string | null;
  username: string | null;
  /** Password hash (bcrypt or argon2id); null for accounts that only sign in through a provider. */
  password: string | null;
  emailVerified: boolean;
  avatar: string | null;
  provider: string;
  role: string;
  googleId: string | null;
  facebookId: string | null;
  githubId: string | null;
  discordId: string | null;
  /** SAML NameID of the account's SAML identity (LibreChat's `samlId`). */
  samlId: string | null;
  openidId: string | null;
  openidIssuer: string | null;
  /** LDAP entry id (LDAP_ID attribute, else uid / sAMAccountName / mail). */
  ldapId: string | null;
  /** Sign in with Apple `sub`. */
  appleId: string | null;
  /** Entra ID `oid`, kept for LibreChat compatibility. */
  idOnTheSource: string | null;
  twoFactorEnabled: boolean;
  termsAccepted: boolean;
  /**
   * Set by an administrator: the account cannot sign in by any method, refresh or use its tokens
   * (users/account-standing.ts). Stored as `disabled` on LibreChat's document, which LibreChat
   * itself does not read (docs/admin.md).
   */
  disabled: boolean;
  /** When set, an unverified account is removed after this moment. */
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewUser = Pick<UserRecord, 'email'> & Partial<Omit<UserRecord, 'id' | 'email' | 'createdAt' | 'updatedAt'>>;

export type UserPatch = Partial<Omit<UserRecord, 'id' | 'createdAt' | 'updatedAt'>>;

export interface CreateUserOptions {
  /**
   * Role given to the account when it is the first one in the store. Decided atomically with
   * the insert, so two simultaneous first registrations yield exactly one such role.
   */
  firstUserRole?: string;
}

export interface ListUsersQuery {
  limit?: number;
  offset?: number;
}

export interface UserSearchQuery {
  /** Case-insensitive substring of the email, name or username; empty or absent lists everyone. */
  text?: string;
  limit: number;
  /** Opaque position returned as `next` by the previous page. */
  after?: string | null;
}

export interface UserPage {
  users: UserRecord[];
  /** Where the next page starts; null on the last page. */
  next: string | null;
}

/** Thrown by adapters when a unique field (email, a provider id) is already taken. */
export class DuplicateUserError extends Error {
  constructor(readonly field: string) {
    super(`duplicate value for ${field}`);
    this.name = 'DuplicateUserError';
  }
}

export abstract class UserRepository {
  abstract create(input: NewUser, options?: CreateUserOptions): Promise<UserRecord>;
  abstract findById(id: string): Promise<UserRecord | null>;
  /** Case- and surrounding-whitespace-insensitive. */
  abstract findByEmail(email: string): Promise<UserRecord | null>;
  /** For `openidId`, `issuer` narrows the match to one OpenID issuer (null matches an empty issuer). */
  abstract findByProviderId(field: ProviderIdField, value: string, issuer?: string | null): Promise<UserRecord | null>;
  abstract update(id: string, patch: UserPatch): Promise<UserRecord | null>;
  abstract delete(id: string): Promise<boolean>;
  abstract list(query?: ListUsersQuery): Promise<UserRecord[]>;
  abstract count(): Promise<number>;
  /** Oldest first (creation time, then id), a page at a time, for the admin API. */
  abstract search(query: UserSearchQuery): Promise<UserPage>;
  /** Removes accounts whose `expiresAt` has passed; returns how many. */
  abstract deleteExpired(now: Date): Promise<number>;
}
