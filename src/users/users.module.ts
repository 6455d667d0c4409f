import { Module } from '@nestjs/common';
import { BcryptPasswordHasher } from './password/bcrypt-password.hasher';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { LoggingRegistrationNotifier, RegistrationNotifier } from './registration-notifier';
import { UsersService } from './users.service';

@Module({
  providers: [
    UsersService,
    PasswordPolicy,
    { provide: PasswordHasher, useClass: BcryptPasswordHasher },
    { provide: RegistrationNotifier, useClass: LoggingRegistrationNotifier },
  ],
  exports: [UsersService, PasswordHasher, PasswordPolicy, RegistrationNotifier],
})
export class UsersModule {}
