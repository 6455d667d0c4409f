import { ArgumentsHost, BadRequestException, HttpException, Logger, UnauthorizedException } from '@nestjs/common';
import { StoreUnavailableError } from '../../storage/store-errors';
import { DomainError } from './domain-error';
import { defineErrors } from './error-catalogue';
import { HttpErrorFilter } from './http-error.filter';

function respond(error: unknown): { status: number; body: Record<string, unknown> } {
  const captured = { status: 0, body: {} as Record<string, unknown> };
  // The parts of Fastify's reply the filter uses.
  const response = {
    sent: false,
    raw: { headersSent: false },
    status(code: number) {
      captured.status = code;
      return this;
    },
    send(body: Record<string, unknown>) {
      captured.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ headers: {} }) }) } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(error, host);
  return captured;
}

describe('HttpErrorFilter', () => {
  // 5xx are logged by design; keep the test output readable.
  beforeAll(() => Logger.overrideLogger(false));

  it('renders domain errors with their status, code and safe details', () => {
    expect(
      respond(
        new DomainError(defineErrors('spec', { X: { status: 403, code: 'EMAIL_NOT_VERIFIED', message: 'Email not verified.' } }).X, {
          details: { email: 'a@b.c' },
        }),
      ),
    ).toEqual({
      status: 403,
      body: { email: 'a@b.c', message: 'Email not verified.', code: 'EMAIL_NOT_VERIFIED' },
    });
  });

  it('LG-04 hides internal error messages behind a generic 500', () => {
    const result = respond(new Error('E11000 duplicate key error collection: LibreChat.users index: email_1'));
    expect(result).toEqual({ status: 500, body: { message: 'Something went wrong.', code: 'INTERNAL_ERROR' } });
  });

  it('RL-01 answers 503 SERVICE_UNAVAILABLE when the store is down, never 401 or 500', () => {
    for (const error of [
      new StoreUnavailableError(),
      Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }),
      Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }),
    ]) {
      expect(respond(error)).toEqual({ status: 503, body: { message: expect.any(String), code: 'SERVICE_UNAVAILABLE' } });
    }
  });

  it('maps Nest HTTP exceptions to stable codes', () => {
    expect(respond(new UnauthorizedException())).toEqual({ status: 401, body: { message: 'Unauthorized', code: 'UNAUTHORIZED' } });
    expect(respond(new BadRequestException(['email must be an email', 'password is too short']))).toEqual({
      status: 400,
      body: { message: 'email must be an email; password is too short', code: 'VALIDATION_FAILED' },
    });
    expect(respond(new HttpException({ message: 'slow down', code: 'RATE_LIMITED' }, 429)).body).toEqual({ message: 'slow down', code: 'RATE_LIMITED' });
    expect(respond(new HttpException('boom', 502))).toEqual({ status: 502, body: { message: 'Something went wrong.', code: 'INTERNAL_ERROR' } });
  });
});
