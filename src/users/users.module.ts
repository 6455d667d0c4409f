import { Module } from '@nestjs/common';
import { FederatedAccounts } from './federated-accounts.service';
import { BcryptPasswordHasher } from './password/bcrypt-password.hasher';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { RegistrationNotifier, SwitchableRegistrationNotifier } from './registration-notifier';
import { UsersService } from './users.service';

@Module({
  providers: [
    UsersService,
    FederatedAccounts,
    PasswordPolicy,
    { provide: PasswordHasher, useClass: BcryptPasswordHasher },
    SwitchableRegistrationNotifier,
    { provide: RegistrationNotifier, useExisting: SwitchableRegistrationNotifier },
  ],
  exports: [UsersService, FederatedAccounts, PasswordHasher, PasswordPolicy, RegistrationNotifier, SwitchableRegistrationNotifier],
})
export class UsersModule {}
