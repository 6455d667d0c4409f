import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { OpenIdConfig } from '../config';
import { IdpJwtError, IdpJwtVerifier } from './idp-jwt.verifier';
import type { ProviderMetadata } from './provider-metadata';

export interface IdTokenClaims {
  sub: string;
  iss: string;
  [claim: string]: unknown;
}

/**
 * OpenID Connect Core §3.1.3.7 checks on an ID token from the token endpoint. The signature is
 * always verified — the "received directly over TLS" exemption is not used (CS-08, ASVS 6.8.2).
 */
@Injectable()
export class IdTokenVerifier {
  constructor(
    private readonly jwt: IdpJwtVerifier,
    private readonly config: OpenIdConfig,
  ) {}

  /** `nonce` null: a refreshed ID token (OIDC §12.2), where a nonce need not be present. */
  async verify(idToken: string, metadata: ProviderMetadata, nonce: string | null): Promise<IdTokenClaims> {
    const clientId = this.config.clientId ?? '';
    const { payload } = await this.jwt.verify(idToken, { issuer: metadata.issuer, audiences: [clientId], algorithms: metadata.idTokenAlgorithms });
    if (typeof payload.iat !== 'number') throw new IdpJwtError('claims', 'iat is missing (CS-03)');
    // JW-08: with several audiences the authorized party must be this client; a present azp always must.
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (audiences.length > 1 && payload.azp === undefined) throw new IdpJwtError('audience', 'several audiences and no azp');
    if (payload.azp !== undefined && payload.azp !== clientId) throw new IdpJwtError('audience', `azp ${JSON.stringify(payload.azp)} is not this client`);
    if (nonce !== null) {
      if (typeof payload.nonce !== 'string' || !sameString(payload.nonce, nonce)) throw new IdpJwtError('claims', 'nonce is missing or does not match (OC-04)');
    }
    return payload as IdTokenClaims;
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
