/** One registered WebAuthn credential (a passkey) of a user. */
export interface PasskeyRecord {
  /** Gatehouse's own id of the row (used by the list/rename/remove API). */
  id: string;
  userId: string;
  /** The credential id the authenticator chose (base64url); unique across all users (PK-06). */
  credentialId: string;
  /** The COSE public key (base64url). */
  publicKey: string;
  /** The last signature counter accepted. */
  counter: number;
  transports: string[];
  name: string;
  /** The WebAuthn user handle (base64url): random per user, never the email or database id (PK-07). */
  userHandle: string;
  backedUp: boolean;
  /** Set when a signature counter went backwards (a possible clone); a flagged credential is refused. */
  flaggedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<PasskeyRecord, 'id' | 'flaggedAt' | 'lastUsedAt'>;

/**
 * Passkeys of users. Adding is refused (null) when the credential id is already stored for any
 * user; the counter moves only by compare-and-swap, so two parallel assertions cannot both pass
 * with the same counter.
 */
export abstract class PasskeyRepository {
  /** The stored record, or null when the credential id is already registered (to anyone). */
  abstract add(passkey: NewPasskey): Promise<PasskeyRecord | null>;
  abstract findByCredentialId(credentialId: string): Promise<PasskeyRecord | null>;
  /** Oldest first. */
  abstract listByUser(userId: string): Promise<PasskeyRecord[]>;
  abstract rename(userId: string, id: string, name: string): Promise<PasskeyRecord | null>;
  abstract remove(userId: string, id: string): Promise<boolean>;
  /** Records a use: counter `expected` → `next`; false when the stored counter was no longer `expected`. */
  abstract recordUse(credentialId: string, expected: number, next: number, now: Date): Promise<boolean>;
  /** Removes every passkey of the user (account deletion); the number removed. */
  abstract removeAllOf(userId: string): Promise<number>;
  /** Marks the credential as a possible clone. */
  abstract flag(credentialId: string, now: Date): Promise<void>;
}
