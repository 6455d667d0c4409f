import { defineErrors } from '../common/errors';

/** The public error codes of the admin module (docs/api.md#errors, docs/admin.md). */
export const AdminErrors = defineErrors('admin', {
  CANNOT_ACT_ON_SELF: { status: 409, code: 'CANNOT_ACT_ON_SELF', message: 'An administrator cannot act on their own account.' },
});
