import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { bodyEncodingError } from './body-encoding-error';
import { isStoreUnavailable } from '../../storage';
import { DomainError, ErrorCode } from './domain-error';

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

interface ErrorBody {
  message: string;
  code: string;
  [extra: string]: unknown;
}

/**
 * The one place errors become responses: `{ message, code }` with the intended status. Stack
 * traces, driver messages and IdP bodies stay in the logs (LG-04); a store outage is a 503, never
 * a 401 or 500 that a client could read as "logged out" (RL-01, RL-02).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  /** `faults` is told of each store or Redis outage answered 503 (the store-error metric). */
  constructor(private readonly faults?: { report(error: unknown): boolean }) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
    const { status, body } = this.toResponse(bodyEncodingError(error, request?.headers?.['content-encoding']) ?? error);
    if (status >= 500) this.logger.error({ err: error, status }, 'request failed');
    if (response.sent || response.raw.headersSent) return;
    void response.status(status).send(body);
  }

  private toResponse(error: unknown): { status: number; body: ErrorBody } {
    if (error instanceof DomainError) {
      return { status: error.status, body: { ...error.details, message: error.message, code: error.code } };
    }
    if (error instanceof HttpException) return this.fromHttpException(error);
    const parserError = fromBodyParserError(error);
    if (parserError) return parserError;
    if (isStoreUnavailable(error)) {
      this.faults?.report(error);
      return { status: 503, body: { message: 'The service is temporarily unavailable. Please try again shortly.', code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    return { status: 500, body: { message: 'Something went wrong.', code: ErrorCode.INTERNAL_ERROR } };
  }

  private fromHttpException(error: HttpException): { status: number; body: ErrorBody } {
    const status = error.getStatus();
    const payload = error.getResponse();
    const given = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    let code = typeof given.code === 'string' ? given.code : (CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL_ERROR : `HTTP_${status}`));
    let message = publicMessage(status, given.message ?? payload);
    // body-parser's JSON syntax errors arrive as a plain 400 whose text quotes the input.
    if (status === HttpStatus.BAD_REQUEST && /JSON/.test(String(given.message ?? payload))) {
      code = ErrorCode.INVALID_JSON;
      message = 'The request body is not valid JSON.';
    }
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) message = 'The request body is too large.';
    if (status === HttpStatus.NOT_FOUND && !given.code) message = 'Not found.';
    return { status, body: { message, code } };
  }
}

/** body-parser raises http-errors (status + type) before Nest routing sees the request. */
function fromBodyParserError(error: unknown): { status: number; body: ErrorBody } | null {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || typeof type !== 'string' || status < 400 || status >= 500) return null;
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) return { status, body: { message: 'The request body is too large.', code: ErrorCode.PAYLOAD_TOO_LARGE } };
  if (type === 'entity.parse.failed') return { status: 400, body: { message: 'The request body is not valid JSON.', code: ErrorCode.INVALID_JSON } };
  return { status, body: { message: 'The request body could not be read.', code: CODE_BY_STATUS[status] ?? `HTTP_${status}` } };
}

function publicMessage(status: number, message: unknown): string {
  if (status >= 500) return 'Something went wrong.';
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' && message ? message : 'FastifyRequest failed.';
}
