import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { RegistrationConfig, ServerConfig } from '../../config';
import { commonPasswords } from './common-passwords';
import { contextWords, isBuiltFromContext, type PasswordContext } from './context-words';
import { UsersErrors } from '../users.errors';

/**
 * Length counted in Unicode code points after NFKC (PW-01, PW-02), no composition rules; the
 * maximum bounds hashing work, pre-hashing removes bcrypt's 72-byte limit. With
 * PASSWORD_BLOCKLIST (default on), common and breached passwords and passwords built from the
 * account's own words are refused (PW-03, NIST SP 800-63B §3.1.1.2).
 */
@Injectable()
export class PasswordPolicy {
  constructor(
    private readonly registration: RegistrationConfig,
    private readonly server: ServerConfig,
  ) {}

  get minLength(): number {
    return this.registration.minPasswordLength;
  }

  get maxLength(): number {
    return this.registration.maxPasswordLength;
  }

  /** The length rules only (for prompts); throws a 400 DomainError naming the rule the password breaks. */
  check(password: string): void {
    const length = [...password.normalize('NFKC')].length;
    if (password.trim() === '') throw new DomainError(UsersErrors.PASSWORD_BLANK);
    if (length < this.minLength)
      throw new DomainError(UsersErrors.PASSWORD_TOO_SHORT, { message: `The password must be at least ${this.minLength} characters long.` });
    if (length > this.maxLength)
      throw new DomainError(UsersErrors.PASSWORD_TOO_LONG, { message: `The password must be at most ${this.maxLength} characters long.` });
  }

  /** Every rule: length, then the common-password list and the account's context words. */
  async assertAcceptable(password: string, context: PasswordContext = {}): Promise<void> {
    this.check(password);
    if (!this.registration.passwordBlocklist) return;
    const normalized = password.normalize('NFKC').toLowerCase();
    const common = await commonPasswords();
    if (common.has(normalized) || common.has(normalized.trim())) {
      throw new DomainError(UsersErrors.PASSWORD_TOO_COMMON);
    }
    if (isBuiltFromContext(normalized, contextWords(context, this.server.appTitle), (rest) => common.has(rest))) {
      throw new DomainError(UsersErrors.PASSWORD_TOO_COMMON, {
        message: "The password must not be built from your email address, your name or this service's name. Please choose another one.",
      });
    }
  }
}
