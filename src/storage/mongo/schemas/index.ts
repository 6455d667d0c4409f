import { ModelDefinition } from '@nestjs/mongoose';
import { BALANCE_MODEL, BalanceSchema } from './balance.schema';
import { AUDIT_EVENT_MODEL, AuditEventSchema } from './audit-event.schema';
import { BAN_LOG_MODEL, BanLogSchema } from './ban-log.schema';
import { IDP_TOKEN_MODEL, IdpTokenSchema } from './idp-token.schema';
import { KEY_VALUE_MODEL, KeyValueSchema } from './key-value.schema';
import { META_MODEL, MetaSchema } from './meta.schema';
import { OUTBOX_MODEL, OutboxSchema } from './outbox.schema';
import { PASSKEY_MODEL, PasskeySchema } from './passkey.schema';
import { SESSION_MODEL, SessionSchema } from './session.schema';
import { TOKEN_MODEL, TokenSchema } from './token.schema';
import { TOTP_STEP_MODEL, TotpStepSchema } from './totp-step.schema';
import { USER_MODEL, UserSchema } from './user.schema';
import { VIOLATION_MODEL, ViolationSchema } from './violation.schema';

export * from './balance.schema';
export * from './audit-event.schema';
export * from './ban-log.schema';
export * from './idp-token.schema';
export * from './key-value.schema';
export * from './meta.schema';
export * from './outbox.schema';
export * from './passkey.schema';
export * from './session.schema';
export * from './token.schema';
export * from './totp-step.schema';
export * from './user.schema';
export * from './violation.schema';

/** Every model the adapter registers; collections come from each schema's `collection` option. */
export const MONGO_MODEL_DEFINITIONS: ModelDefinition[] = [
  { name: USER_MODEL, schema: UserSchema },
  { name: SESSION_MODEL, schema: SessionSchema },
  { name: TOKEN_MODEL, schema: TokenSchema },
  { name: BAN_LOG_MODEL, schema: BanLogSchema },
  { name: VIOLATION_MODEL, schema: ViolationSchema },
  { name: KEY_VALUE_MODEL, schema: KeyValueSchema },
  { name: OUTBOX_MODEL, schema: OutboxSchema },
  { name: IDP_TOKEN_MODEL, schema: IdpTokenSchema },
  { name: META_MODEL, schema: MetaSchema },
  { name: TOTP_STEP_MODEL, schema: TotpStepSchema },
  { name: BALANCE_MODEL, schema: BalanceSchema },
  { name: PASSKEY_MODEL, schema: PasskeySchema },
  { name: AUDIT_EVENT_MODEL, schema: AuditEventSchema },
];
