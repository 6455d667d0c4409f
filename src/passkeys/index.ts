export { PasskeysModule } from './passkeys.module';
export { PasskeysErrors } from './passkeys.errors';
