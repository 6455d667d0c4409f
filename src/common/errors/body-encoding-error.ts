import { CommonErrors } from './common.errors';
import { DomainError } from './domain-error';

/**
 * A body body-parser could not read, as a stable client error (LG-05), or null when `error` is
 * something else:
 * - a Content-Encoding other than identity, gzip, deflate or br → 415 UNSUPPORTED_CONTENT_ENCODING;
 * - a body that does not decode with its declared Content-Encoding (a zlib error, which carries
 *   no body-parser type) → 400 INVALID_CONTENT_ENCODING.
 */
export function bodyEncodingError(error: unknown, contentEncoding: string | string[] | undefined): DomainError | null {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (type === 'encoding.unsupported') {
    return new DomainError(CommonErrors.UNSUPPORTED_CONTENT_ENCODING, {
      message: "The request body's Content-Encoding is not supported; send it uncompressed, or as gzip, deflate or br.",
    });
  }
  const encoding = Array.isArray(contentEncoding) ? contentEncoding.join(',') : contentEncoding;
  const encoded = !!encoding && encoding.trim().toLowerCase() !== 'identity';
  if (encoded && status === 400 && typeof type !== 'string') {
    return new DomainError(CommonErrors.INVALID_CONTENT_ENCODING, { message: 'The request body does not match its Content-Encoding.' });
  }
  return null;
}
