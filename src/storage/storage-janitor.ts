import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { KeyValueStore, ModerationRepository, OneTimeTokenRepository, SessionRepository, UserRepository } from './ports';

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Removes expired rows that MongoDB's TTL monitor would remove but SQLite would keep forever.
 * Lookups already ignore expired rows; this only bounds the store's size. Users too: an account
 * carries `expiresAt` only while its address is unverified (users.service.ts), and the date is
 * cleared when it is verified or linked, so what expires is an account that never signed in
 * (MongoDB's TTL index on `expiresAt` removes the same accounts); its verification mail's token
 * expires with it and is swept by the same pass.
 */
@Injectable()
export class StorageJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StorageJanitor.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly moderation: ModerationRepository,
    private readonly kv: KeyValueStore,
    private readonly users: UserRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One pass over every store; returns how many rows were removed. Never throws. */
  sweep(now = new Date()): Promise<number> {
    if (this.running) return this.running;
    this.running = Promise.all([
      this.sessions.deleteExpired(now),
      this.tokens.deleteExpired(now),
      this.moderation.deleteExpired(now),
      this.kv.deleteExpired(now),
      this.users.deleteExpired(now),
    ])
      .then((counts) => counts.reduce((a, b) => a + b, 0))
      .catch((error: unknown) => {
        this.logger.warn(`expiry sweep failed: ${String(error)}`);
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
