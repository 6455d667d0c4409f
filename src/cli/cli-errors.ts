import { DomainError } from '../common/errors';

/** A problem with what the operator asked for; its message is shown as it is, and the exit code is 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * One line for stderr. CliError and DomainError messages are written for people and shown as they
 * are; anything else is unexpected and gets the program's name in front. Never a stack trace.
 */
export function describeCliError(error: unknown): string {
  if (error instanceof CliError || error instanceof DomainError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `gatehouse: ${message.split('\n')[0]}`;
}
