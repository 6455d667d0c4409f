import { defineErrors } from '../common/errors';

/** The public error codes of the sessions module (docs/api.md#errors). */
export const SessionsErrors = defineErrors('sessions', {
  INVALID_REFRESH_TOKEN: { status: 401, code: 'INVALID_REFRESH_TOKEN', message: 'The session is invalid or has expired. Please sign in again.' },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    code: 'REFRESH_TOKEN_REUSED',
    message: 'This session was ended because an old sign-in token was used again. Please sign in again.',
  },
});
