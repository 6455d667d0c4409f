import { Clock, SystemClock } from '../common/clock';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
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
  /** Sweeps other modules add (the audit trail's retention), run with the built-in ones. */
  private readonly extra: Array<(now: Date) => Promise<number>> = [];

  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: OneTimeTokenRepository,
    private readonly moderation: ModerationRepository,
    private readonly kv: KeyValueStore,
    private readonly users: UserRepository,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  /** Adds a clean-up pass (e.g. audit retention) to every sweep. */
  addSweep(sweep: (now: Date) => Promise<number>): void {
    this.extra.push(sweep);
  }

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
  sweep(now: Date = this.clock.now()): Promise<number> {
    if (this.running) return this.running;
    this.running = Promise.all([
      this.sessions.deleteExpired(now),
      this.tokens.deleteExpired(now),
      this.moderation.deleteExpired(now),
      this.kv.deleteExpired(now),
      ...this.extra.map((sweep) => sweep(now)),
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
