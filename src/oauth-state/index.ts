export { OAuthStateModule } from './oauth-state.module';
export { OAuthStateStore, type OAuthTransaction, type TransactionCookie } from './oauth-state.store';
export { SealedCookies, type Sealed, type SealedCookieSpec } from './sealed-cookie';
