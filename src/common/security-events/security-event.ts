/**
 * What happened, named once for every consumer (audit trail, metrics, log shippers). Names are
 * `<area>.<what>`; a new one is added here, so a typo cannot invent an event nobody records.
 */
export const SECURITY_EVENT_TYPES = [
  'sign_in.succeeded',
  'sign_in.failed',
  'sign_in.second_factor_pending',
  'sign_out',
  'session.revoked',
  'refresh.rotated',
  'refresh.reused_within_grace',
  'refresh.reuse_detected',
  'password_reset.requested',
  'password_reset.completed',
  'email.verified',
  'two_factor.enabled',
  'two_factor.disabled',
  'two_factor.backup_codes_regenerated',
  'two_factor.reset_by_admin',
  'passkey.registered',
  'passkey.renamed',
  'passkey.removed',
  'passkey.clone_suspected',
  'account.created',
  'account.linked',
  'account.deleted',
  'account.disabled',
  'account.enabled',
  'role.changed',
  'ban.added',
  'ban.lifted',
  'limit.exceeded',
  'admin.action',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Scalar details only: they are stored and logged as they are, so never a secret, token or password. */
export type SecurityEventDetails = Record<string, string | number | boolean | null>;

export interface SecurityEvent {
  type: SecurityEventType;
  /** The account the event is about (null when unknown, e.g. a failed sign-in of an unknown email). */
  userId?: string | null;
  /** Who acted, when not the user themselves (an admin, the CLI, the IdP for role sync). */
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /** `password`, `ldap`, `openid`, `social`, `saml`, `passkey`, `refresh`, ... */
  method?: string | null;
  /** `local`, `google`, `openid-<name>`, ... */
  provider?: string | null;
  /** Why a sign-in failed or a session ended: a stable short word (`wrong_credentials`, `banned`, ...). */
  reason?: string | null;
  details?: SecurityEventDetails;
}

/** An event as consumers receive it: stamped with the injected clock's time. */
export interface RecordedSecurityEvent extends SecurityEvent {
  at: Date;
}

export type SecurityEventListener = (event: RecordedSecurityEvent) => void | Promise<void>;
