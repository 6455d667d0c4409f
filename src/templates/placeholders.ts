import type { UserRecord } from '../storage';
import type { FederatedTokens } from './federated-token.source';

/** `{{LIBRECHAT_USER_<FIELD>}}` → the user property it reads (docs/templates.md#variables). */
export const USER_FIELDS: Record<string, (u: UserRecord) => unknown> = {
  ID: (u) => u.id,
  NAME: (u) => u.name,
  USERNAME: (u) => u.username,
  EMAIL: (u) => u.email,
  PROVIDER: (u) => u.provider,
  ROLE: (u) => u.role,
  GOOGLEID: (u) => u.googleId,
  FACEBOOKID: (u) => u.facebookId,
  OPENIDID: (u) => u.openidId,
  SAMLID: (u) => u.samlId,
  LDAPID: (u) => u.ldapId,
  GITHUBID: (u) => u.githubId,
  DISCORDID: (u) => u.discordId,
  APPLEID: (u) => u.appleId,
  EMAILVERIFIED: (u) => u.emailVerified,
  TWOFACTORENABLED: (u) => u.twoFactorEnabled,
  TERMSACCEPTED: (u) => u.termsAccepted,
  TERMSACCEPTEDAT: () => null,
};

/** User fields people type themselves: in a header they are `b64:`-encoded when not Latin-1. */
export const FREE_TEXT_USER_FIELDS = new Set(['NAME', 'USERNAME', 'EMAIL']);

/** `{{LIBRECHAT_OPENID_<NAME>}}` (docs/templates.md#variables). */
export const OPENID_FIELDS: Record<string, (t: FederatedTokens, u: UserRecord) => unknown> = {
  TOKEN: (t) => t.accessToken,
  ACCESS_TOKEN: (t) => t.accessToken,
  ID_TOKEN: (t) => t.idToken,
  USER_ID: (t, u) => t.claims.sub ?? u.openidId ?? u.id,
  USER_EMAIL: (t, u) => t.claims.email ?? u.email,
  USER_NAME: (t, u) => t.claims.name ?? u.name ?? u.username,
  EXPIRES_AT: (t) => (t.expiresAt ? Math.floor(t.expiresAt.getTime() / 1000) : t.claims.exp),
};

/** `{{LIBRECHAT_BODY_<NAME>}}` → request body field (docs/templates.md#variables). */
export const BODY_FIELDS: Record<string, string> = {
  CONVERSATIONID: 'conversationId',
  PARENTMESSAGEID: 'parentMessageId',
  MESSAGEID: 'messageId',
};

export function isOpenIdUser(user: UserRecord): boolean {
  return user.provider === 'openid' || !!user.openidId;
}
