import { defineErrors } from './error-catalogue';

/** Codes any operation may answer: validation, bodies, authentication, limits, outages. */
export const CommonErrors = defineErrors('common', {
  VALIDATION_FAILED: { status: 400, code: 'VALIDATION_FAILED', message: 'Invalid request.' },
  INVALID_JSON: { status: 400, code: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
  BODY_TOO_DEEP: { status: 400, code: 'BODY_TOO_DEEP', message: 'The request body nests too deeply.' },
  INVALID_CONTENT_ENCODING: { status: 400, code: 'INVALID_CONTENT_ENCODING', message: 'The request body does not match its Content-Encoding.' },
  // Paged lists (admin users, audit): a cursor this API did not hand out.
  INVALID_CURSOR: { status: 400, code: 'INVALID_CURSOR', message: 'The cursor is not one this API issued.' },
  UNAUTHORIZED: { status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' },
  FORBIDDEN: { status: 403, code: 'FORBIDDEN', message: 'You do not have permission to do this.' },
  NOT_FOUND: { status: 404, code: 'NOT_FOUND', message: 'Not found.' },
  METHOD_NOT_ALLOWED: { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed.' },
  PAYLOAD_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json.' },
  UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    message: "The request body's Content-Encoding is not supported; send it uncompressed, or as gzip, deflate or br.",
  },
  RATE_LIMITED: { status: 429, code: 'RATE_LIMITED', message: 'Too many requests. Please try again later.' },
  INTERNAL_ERROR: { status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong.' },
  SERVICE_UNAVAILABLE: { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable. Please try again shortly.' },
});
