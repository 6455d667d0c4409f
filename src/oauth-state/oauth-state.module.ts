import { Module } from '@nestjs/common';
import { OAuthStateStore } from './oauth-state.store';

/**
 * The OAuth transaction state every browser sign-in provider shares (OpenID, named OpenID, the
 * social providers, Apple) and the sealed-cookie helper it is built on (also used by SAML).
 * Neutral ground, so the provider modules do not import each other.
 */
@Module({ providers: [OAuthStateStore], exports: [OAuthStateStore] })
export class OAuthStateModule {}
