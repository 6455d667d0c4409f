export { UsersModule } from './users.module';
export { UsersService, type NewAccount, type RegistrationOutcome, type TrustedAccountFields, type RegistrationOptions } from './users.service';
export { PasswordHasher } from './password/password-hasher';
export { PasswordPolicy } from './password/password-policy';
export { RegistrationNotifier, SwitchableRegistrationNotifier, type PendingCredentials } from './registration-notifier';
export { toPublicUser, type PublicUser } from './public-user';
export { assertAccountEnabled, accountDisabledError, ACCOUNT_DISABLED_MESSAGE } from './account-standing';
export { isEmailDomainAllowed } from './email-domain';
export {
  FederatedAccounts,
  FederatedAccountRefusal,
  type FederatedIdentity,
  type FederatedRefusalReason,
  type IdentitySlot,
} from './federated-accounts.service';
export { UsersErrors } from './users.errors';
