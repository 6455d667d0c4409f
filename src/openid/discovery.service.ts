import { Clock, SystemClock } from '../common/clock';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { OpenIdConfig, RegistrationConfig } from '../config';
import { locateIssuer } from './issuer-url';
import { IdpUnavailableError, OpenIdFailure } from './openid-errors';
import { OpenIdHttp } from './openid-http';
import { parseMetadata, type ProviderMetadata } from './provider-metadata';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** A login attempt may trigger its own discovery, but not more often than this. */
const ON_DEMAND_SPACING_MS = 1_000;

/**
 * Fetches the provider's discovery document. The boot never waits on it and never fails
 * because of it (RL-05): a failed discovery is retried in the background with backoff, and
 * until one succeeds, logins answer "provider unavailable". Once known, the metadata is kept
 * for the life of the process.
 */
@Injectable()
export class DiscoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OpenIdDiscovery');
  private metadata: ProviderMetadata | null = null;
  private inFlight: Promise<ProviderMetadata> | null = null;
  private lastError: OpenIdFailure | null = null;
  private lastAttemptAt = 0;
  private retryDelay = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly config: OpenIdConfig,
    private readonly registration: RegistrationConfig,
    private readonly http: OpenIdHttp,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.enabled && this.registration.allowSocialLogin && this.config.issuer) void this.attempt().catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** The metadata, discovering it now if needed; IdpUnavailableError / OpenIdFailure otherwise. */
  async get(): Promise<ProviderMetadata> {
    if (this.metadata) return this.metadata;
    if (this.inFlight) return this.inFlight;
    if (this.clock.now().getTime() - this.lastAttemptAt >= ON_DEMAND_SPACING_MS) return this.attempt();
    throw this.lastError ?? new IdpUnavailableError('OpenID discovery has not completed yet');
  }

  /** Without waiting: the metadata when known (logout uses it and must not block on the IdP). */
  known(): ProviderMetadata | null {
    return this.metadata;
  }

  private attempt(): Promise<ProviderMetadata> {
    if (this.inFlight) return this.inFlight;
    this.lastAttemptAt = this.clock.now().getTime();
    this.inFlight = this.discover()
      .then((metadata) => {
        this.metadata = metadata;
        this.lastError = null;
        if (this.timer) clearTimeout(this.timer);
        this.logger.log({ issuer: metadata.issuer }, 'OpenID provider discovered');
        return metadata;
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof OpenIdFailure ? error : new OpenIdFailure('configuration', String(error));
        this.scheduleRetry();
        throw this.lastError;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.metadata || this.timer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    this.logger.error({ retryInMs: delay }, `OpenID discovery failed: ${this.lastError?.message}`);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped && !this.metadata) void this.attempt().catch(() => undefined);
    }, delay);
    this.timer.unref();
  }

  private async discover(): Promise<ProviderMetadata> {
    const { discoveryUrl, acceptedIssuers } = locateIssuer(this.config.issuer ?? '');
    const response = await this.http.request('discovery', discoveryUrl);
    if (response.status !== 200 || !response.json) throw new IdpUnavailableError(`discovery: ${discoveryUrl} answered ${response.status}`);
    try {
      return parseMetadata(response.json, acceptedIssuers);
    } catch (error) {
      throw new OpenIdFailure('configuration', `discovery: ${(error as Error).message}`);
    }
  }
}
