import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { RegistrationConfig } from '../../config';

/**
 * Length rules only, counted in Unicode code points after NFKC (PW-01, PW-02); no composition
 * rules. The maximum bounds hashing work; pre-hashing removes bcrypt's 72-byte limit.
 */
@Injectable()
export class PasswordPolicy {
  constructor(private readonly registration: RegistrationConfig) {}

  get minLength(): number {
    return this.registration.minPasswordLength;
  }

  get maxLength(): number {
    return this.registration.maxPasswordLength;
  }

  /** Throws a 400 DomainError naming the rule the password breaks. */
  check(password: string): void {
    const length = [...password.normalize('NFKC')].length;
    if (password.trim() === '') throw new DomainError(400, 'PASSWORD_BLANK', 'The password must not be blank.');
    if (length < this.minLength) throw new DomainError(400, 'PASSWORD_TOO_SHORT', `The password must be at least ${this.minLength} characters long.`);
    if (length > this.maxLength) throw new DomainError(400, 'PASSWORD_TOO_LONG', `The password must be at most ${this.maxLength} characters long.`);
  }
}
