import { defineErrors } from '../common/errors';

/** The public error codes of the templates module (docs/api.md#errors). */
export const TemplatesErrors = defineErrors('templates', {
  UPSTREAM_NOT_FOUND: { status: 404, code: 'UPSTREAM_NOT_FOUND', message: 'No upstream with this name is configured.' },
  UPSTREAM_TIMEOUT: { status: 504, code: 'UPSTREAM_TIMEOUT', message: 'The upstream did not answer in time.' },
  UPSTREAM_UNAVAILABLE: { status: 502, code: 'UPSTREAM_UNAVAILABLE', message: 'The upstream cannot be reached.' },
  INVALID_UPSTREAM_PATH: { status: 400, code: 'INVALID_UPSTREAM_PATH', message: 'The path is not allowed.' },
  TEMPLATE_VALUE_REJECTED: { status: 400, code: 'TEMPLATE_VALUE_REJECTED', message: 'A header value was rejected and not sent.' },
});
