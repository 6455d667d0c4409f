import { Clock, SystemClock } from '../common/clock';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JwksClient } from 'jwks-rsa';
import { OpenIdConfig } from '../config';
import { DiscoveryService } from './discovery.service';
import { IdpUnavailableError } from './openid-errors';
import { IDP_TIMEOUT_MS, OpenIdHttp } from './openid-http';

/** A key the verifier may use, with what it is allowed to verify. */
export interface VerificationKey {
  key: KeyObject;
  /** The JWK's `alg`, when the provider pinned one. */
  alg: string | null;
}

export class UnknownKeyError extends Error {}

const MIN_RSA_BITS = 2048;

/**
 * Signing keys from the discovered `jwks_uri` only — never from token headers (`jku`, `x5u`,
 * `jwk`, `x5c` are ignored, JW-06). jwks-rsa caches keys per kid for OPENID_JWKS_URL_CACHE_TIME
 * (when OPENID_JWKS_URL_CACHE_ENABLED) and rate-limits refetches (JW-12); an unknown kid costs
 * exactly one JWKS fetch (CS-13). In front of it sits a map of imported KeyObjects with the same
 * lifetime, so the hot bearer path neither re-parses PEM nor awaits the memoizer.
 */
@Injectable()
export class JwksKeysService {
  private readonly logger = new Logger('OpenIdJwks');
  private client: JwksClient | null = null;
  private clientUri: string | null = null;
  private readonly imported = new Map<string, { value: VerificationKey; until: number }>();

  constructor(
    private readonly config: OpenIdConfig,
    private readonly discovery: DiscoveryService,
    private readonly http: OpenIdHttp,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  /** How many times the JWKS document was fetched (benchmark and tests). */
  get fetchCount(): number {
    return this.http.counters.get('jwks') ?? 0;
  }

  async keyFor(kid: string | null): Promise<VerificationKey> {
    const cacheKey = kid ?? '\u0000no-kid';
    const hit = this.imported.get(cacheKey);
    if (hit && hit.until > this.clock.now().getTime()) return hit.value;
    const client = await this.jwksClient();
    let signing;
    try {
      signing = await client.getSigningKey(kid ?? undefined);
    } catch (error) {
      const e = error as Error & { isEndpointUnavailable?: boolean; name?: string };
      if (e.isEndpointUnavailable) throw new IdpUnavailableError(`JWKS: ${e.message}`);
      // SigningKeyNotFoundError, "no KID and more than one key" (CS-06: rejected), rate limit hit.
      throw new UnknownKeyError(`no usable signing key for kid ${JSON.stringify(kid)}: ${e.message}`);
    }
    const key = createPublicKey(signing.getPublicKey());
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new UnknownKeyError(`the key ${JSON.stringify(kid)} is an RSA key shorter than ${MIN_RSA_BITS} bits (JW-10)`);
    }
    const value: VerificationKey = { key, alg: (signing as { alg?: string }).alg ?? null };
    if (this.config.jwksCacheEnabled) this.imported.set(cacheKey, { value, until: this.clock.now().getTime() + this.config.jwksCacheTimeMs });
    if (this.imported.size > 64) this.imported.delete(this.imported.keys().next().value as string);
    return value;
  }

  private async jwksClient(): Promise<JwksClient> {
    // OPENID_JWKS_URL, when set, replaces the discovered jwks_uri; keys never come from token headers.
    const jwksUri = this.config.jwksUrl ?? (await this.discovery.get()).jwksUri;
    if (this.client && this.clientUri === jwksUri) return this.client;
    this.clientUri = jwksUri;
    // Loaded on first use, so a deployment without OpenID never loads jwks-rsa and jose.
    const { JwksClient: Client } = require('jwks-rsa') as typeof import('jwks-rsa');
    this.client = new Client({
      jwksUri,
      cache: this.config.jwksCacheEnabled,
      cacheMaxAge: this.config.jwksCacheTimeMs,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: IDP_TIMEOUT_MS,
      fetcher: async (uri: string) => {
        const response = await this.http.request('jwks', uri);
        const keys = response.json?.keys;
        if (response.status !== 200 || !Array.isArray(keys)) {
          const error = new Error(`JWKS ${uri} answered ${response.status}`) as Error & { isEndpointUnavailable?: boolean };
          error.isEndpointUnavailable = true;
          throw error;
        }
        return { keys };
      },
    });
    this.logger.debug({ jwksUri }, 'JWKS client ready');
    return this.client;
  }
}
