import { Writable } from 'node:stream';
import pino from 'pino';
import { CommonErrors } from './common.errors';
import { DomainError } from './domain-error';
import { declaredErrors, defineErrors } from './error-catalogue';

describe('error catalogue', () => {
  it('gives DomainError its status, code and default message from the entry', () => {
    const error = new DomainError(CommonErrors.RATE_LIMITED, { details: { retryAfter: 3 } });
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: CommonErrors.RATE_LIMITED.message, details: { retryAfter: 3 } });
    expect(new DomainError(CommonErrors.NOT_FOUND, { message: 'Unknown sign-in provider.' }).message).toBe('Unknown sign-in provider.');
  });

  it('a domain error logs through pino (the logger serializes it, frozen catalogue entry and all)', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const error = new DomainError(CommonErrors.SERVICE_UNAVAILABLE, { details: { store: 'down' } });
    expect(() => pino(sink).error({ err: error, status: 503 }, 'request failed')).not.toThrow();
    expect(JSON.parse(lines[0])).toMatchObject({ status: 503, err: { type: 'DomainError', code: 'SERVICE_UNAVAILABLE' } });
    expect(error.entry).toBe(CommonErrors.SERVICE_UNAVAILABLE);
  });

  it('refuses codes that are not UPPER_SNAKE_CASE and statuses that are not errors', () => {
    expect(() => defineErrors('spec', { x: { status: 400, code: 'bad-code', message: 'm' } })).toThrow(/UPPER_SNAKE_CASE/);
    expect(() => defineErrors('spec', { x: { status: 200, code: 'OK', message: 'm' } })).toThrow(/not an error status/);
  });

  it('registers every entry so the API document can list them', () => {
    const entry = defineErrors('spec-registry', { X: { status: 409, code: 'SPEC_CONFLICT', message: 'm' } }).X;
    expect(declaredErrors()).toContain(entry);
    expect(Object.isFrozen(entry)).toBe(true);
  });
});
