import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { default as Redis, ChainableCommander, RedisOptions } from 'ioredis';
import { StoreUnavailableError, isStoreUnavailable } from '../store-errors';
import { RedisKeys } from './redis-keys';
import { LuaScript } from './redis-scripts';

export const REDIS_OPTIONS = Symbol('REDIS_OPTIONS');

export interface RedisStorageOptions {
  uri: string;
  /** Prepended to every key (REDIS_KEY_PREFIX). */
  keyPrefix: string;
}

/** No single command may keep a request waiting longer than this, even on a hung server. */
export const COMMAND_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;
const SCAN_BATCH = 500;

/**
 * Fail-fast client settings (RL-01): while Redis is unreachable every command rejects at once
 * instead of queueing in memory, so requests answer 503 quickly and nothing piles up.
 */
export function redisClientOptions(): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Commands sent while disconnected reject immediately…
    enableOfflineQueue: false,
    // …and those in flight when the connection drops reject when it closes.
    maxRetriesPerRequest: 0,
    // A write whose reply was lost may have been applied; replaying it could count twice.
    autoResendUnfulfilledCommands: false,
    // Reconnect forever, at most a second apart, so service resumes soon after Redis does.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  };
}

/** The one ioredis client of this process, shared by the Redis-backed stores. */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly keys: RedisKeys;
  private readonly client: Redis;
  private readonly logger = new Logger('Redis');
  private readonly address: string;
  private outageReported = false;
  private closing: Promise<void> | null = null;
  /** Settles when the first connection attempt succeeds or fails (bounded by connectTimeout). */
  private readonly firstAttempt: Promise<void>;

  constructor(@Inject(REDIS_OPTIONS) options: RedisStorageOptions) {
    this.keys = new RedisKeys(options.keyPrefix);
    // Loaded here, not at import: without USE_REDIS the process never pays for ioredis (boot time, memory).
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.client = new RedisClient(options.uri, redisClientOptions());
    // Never log the URI itself: it may carry a password.
    this.address = `${this.client.options.host ?? '?'}:${this.client.options.port ?? '?'}`;
    // Without a listener ioredis' 'error' events would crash the process. One line per outage.
    this.client.on('error', (error: Error) => {
      if (this.outageReported) return;
      this.outageReported = true;
      this.logger.warn(`Redis at ${this.address} unreachable (${error.message}); retrying in the background`);
    });
    this.client.on('ready', () => {
      if (this.outageReported) this.logger.log(`Redis at ${this.address} reachable again`);
      this.outageReported = false;
    });
    // Commands wait for this one attempt only: with the offline queue off they would otherwise
    // fail in the moment between construction and the connection. Later outages fail fast.
    this.firstAttempt = this.client.connect().catch(() => undefined);
  }

  /** The app starts serving only after the first attempt; an unreachable Redis fails readiness, not boot. */
  async onModuleInit(): Promise<void> {
    await this.firstAttempt;
  }

  async ping(): Promise<void> {
    await this.run((client) => client.ping());
  }

  /**
   * Runs driver calls, turning connection trouble into StoreUnavailableError (→ 503). Errors
   * Redis itself answered (wrong type, script errors) are bugs and pass through unchanged.
   */
  async run<T>(call: (client: Redis) => Promise<T>): Promise<T> {
    await this.firstAttempt;
    try {
      return await call(this.client);
    } catch (error) {
      if (error instanceof StoreUnavailableError || !isStoreUnavailable(error)) throw error;
      throw new StoreUnavailableError(`Redis unavailable: ${(error as Error).message}`, { cause: error });
    }
  }

  /** EVALSHA, loading the script on first use (or after the server restarted and forgot it). */
  async eval(script: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.run(async (client) => {
      try {
        return await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(script.source, keys.length, ...keys, ...args);
      }
    });
  }

  /** Sends a pipeline or MULTI in one round trip; the first failed command fails the call. */
  async batch(build: (client: Redis) => ChainableCommander): Promise<unknown[]> {
    return this.run(async (client) => {
      const replies = (await build(client).exec()) ?? [];
      return replies.map(([error, reply]) => {
        if (error) throw error;
        return reply;
      });
    });
  }

  /** Every key matching a SCAN pattern, in batches (SCAN may repeat a key; callers tolerate it). */
  async *scan(pattern: string): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.run((client) => client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH));
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  /** Idempotent. QUIT lets pending replies arrive; a dead connection is simply dropped. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.client.status === 'ready') await this.client.quit().catch(() => undefined);
      this.client.disconnect();
    })();
    return this.closing;
  }

  /** On application shutdown (after module destroy hooks), like the primary store. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
