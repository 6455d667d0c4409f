export { PasskeysModule } from './passkeys.module';
