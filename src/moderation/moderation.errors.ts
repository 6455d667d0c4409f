import { defineErrors } from '../common/errors';

/** The public error codes of the moderation module (docs/api.md#errors). */
export const ModerationErrors = defineErrors('moderation', {
  BANNED: { status: 403, code: 'BANNED', message: 'Your account has been temporarily banned due to violations of our service.' },
  INVALID_BAN_KEY: { status: 400, code: 'INVALID_BAN_KEY', message: 'A ban key is user:<id> or ip:<address>.' },
  BAN_NOT_FOUND: { status: 404, code: 'BAN_NOT_FOUND', message: 'No active ban with this key.' },
});
