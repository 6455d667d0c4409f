import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ModerationConfig } from '../config';
import { KeyValueStore } from '../storage';

const FAILURE_WINDOW_MS = 15 * 60_000;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4_000;

/**
 * Per-account protection that cannot be turned against the account's owner (MB-02): failures
 * for one email (existing or not, so the delay reveals nothing) slow every further attempt on it
 * down exponentially, up to 4 s, instead of locking or banning the account. The IP limit and
 * IP bans still stop each attacking address; a correct password clears the count.
 */
@Injectable()
export class AccountLoginDelay {
  private readonly logger = new Logger('LoginDelay');

  constructor(
    private readonly kv: KeyValueStore,
    private readonly config: ModerationConfig,
    private readonly clock: Clock,
  ) {}

  /** Waits as long as the email's recent failures ask for; answers how many there were. */
  async beforeAttempt(email: string): Promise<number> {
    const failures = await this.failures(email);
    const delay = this.delayFor(failures);
    if (delay > 0) await sleep(delay);
    return failures;
  }

  async failed(email: string): Promise<void> {
    if (this.config.loginFailureDelayAfter === 0) return;
    try {
      await this.kv.increment(keyOf(email), 1, FAILURE_WINDOW_MS, this.clock.now());
    } catch (error) {
      this.logger.error(`login failure not counted, the store is unavailable: ${(error as Error).message}`);
    }
  }

  /** Clears the count; `failures` is what beforeAttempt saw (nothing to clear when 0: no write). */
  async succeeded(email: string, failures: number): Promise<void> {
    if (this.config.loginFailureDelayAfter === 0 || failures === 0) return;
    await this.kv.delete(keyOf(email)).catch(() => undefined);
  }

  delayFor(failures: number): number {
    const after = this.config.loginFailureDelayAfter;
    if (after === 0 || failures < after) return 0;
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - after));
  }

  private async failures(email: string): Promise<number> {
    if (this.config.loginFailureDelayAfter === 0) return 0;
    try {
      return Number(await this.kv.get(keyOf(email), this.clock.now())) || 0;
    } catch {
      return 0;
    }
  }
}

function keyOf(email: string): string {
  // Hashed so the store holds no address list of failed sign-ins.
  return `login-failures:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}
