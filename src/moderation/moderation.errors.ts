import { defineErrors } from '../common/errors';

/** The public error codes of the moderation module (docs/api.md#errors). */
export const ModerationErrors = defineErrors('moderation', {
  BANNED: { status: 403, code: 'BANNED', message: 'Your account has been temporarily banned due to violations of our service.' },
  INVALID_BAN_KEY: { status: 400, code: 'INVALID_BAN_KEY', message: 'A ban key is user:<id> or ip:<address>.' },
  INVALID_DURATION: { status: 400, code: 'INVALID_DURATION', message: 'A duration is e.g. 30m, 2h, 1h30m or 7d (at most 365d).' },
  BAN_NOT_FOUND: { status: 404, code: 'BAN_NOT_FOUND', message: 'No active ban with this key.' },
});
