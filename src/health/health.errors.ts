import { defineErrors } from '../common/errors';

/** The public error codes of the health module (docs/api.md#errors). */
export const HealthErrors = defineErrors('health', {
  NOT_READY: { status: 503, code: 'NOT_READY', message: 'The service is not ready.' },
});
