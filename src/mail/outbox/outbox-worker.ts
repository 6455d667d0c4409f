import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { MailConfig } from '../../config';
import { OutboxMessage, OutboxRepository } from '../../storage';
import { MailRenderer } from '../templates/mail-renderer';
import { MailDeliveryError, MailSender } from '../transport/mail-sender';
import { nextAttemptAt } from './backoff';
import { MailPayloadSeal } from './sealed-payload';

const BATCH = 10;

export interface OutboxWorkerStatus {
  consecutiveFailures: number;
  /** Since start, for the metrics (gatehouse_outbox_deliveries_total, gatehouse_outbox_failures_total). */
  delivered: number;
  failed: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** Error summary of the last failure (codes and the server's reply, never the message). */
  lastError: string | null;
}

/**
 * Delivers queued mail in the background: claims due messages under a lease, sends them one by
 * one, marks each sent, or schedules a retry with exponential back-off, or gives up after the
 * configured attempts (then it stays in the store as `dead`, for an operator to inspect).
 *
 * No duplicates in normal operation: a message is handed to one claimer only, and while its send
 * is in flight the claimer renews the lease (a third of MAIL_OUTBOX_LEASE apart), so nobody else
 * claims it. The lease itself is short: mail claimed by a process that died (kill -9, power loss)
 * is due again within MAIL_OUTBOX_LEASE of its last renewal, not after a send timeout (RL-13).
 * Only a crash between the SMTP server accepting a message and the store recording it can send it
 * twice (at-least-once; the alternative, at-most-once, could lose a reset mail).
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('MailOutbox');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = true;
  private readonly leaseMs: number;
  /** This process's name on its claims: only the holder renews a lease. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly status: OutboxWorkerStatus = { consecutiveFailures: 0, delivered: 0, failed: 0, lastSuccessAt: null, lastFailureAt: null, lastError: null };

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: MailSender,
    private readonly renderer: MailRenderer,
    private readonly seal: MailPayloadSeal,
    private readonly mail: MailConfig,
    private readonly clock: Clock,
  ) {
    this.leaseMs = mail.outbox.leaseMs;
  }

  get enabled(): boolean {
    return this.mail.transport !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.stopped = false;
    // Mail queued before a restart (or while SMTP was down) goes out right away.
    this.schedule(0);
  }

  /** First shutdown phase: stop starting sends (the mailer closes its connections in this phase too). */
  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Before the store closes: let the pass in progress record what it did. */
  async beforeApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.running?.catch(() => 0);
  }

  /**
   * Something was queued: look now instead of at the next poll. Not while the last attempt
   * failed: during an outage every new mail would otherwise cost a connection attempt on the
   * request's heels; the poll and the back-off pace the retries instead.
   */
  nudge(): void {
    if (this.stopped || this.status.consecutiveFailures > 0) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /**
   * One pass: sends every message due now (batch by batch). Returns how many were delivered.
   * Concurrent callers share the pass in progress. Never throws.
   */
  runOnce(): Promise<number> {
    if (!this.enabled) return Promise.resolve(0);
    if (this.running) return this.running;
    this.running = this.drainDue()
      .catch((error: unknown) => {
        // The store itself failed (e.g. MongoDB down): nothing was lost, the next poll retries.
        this.logger.warn(`outbox pass failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Waits for a pass in progress, then runs a fresh one: everything queued before the call is tried. */
  async flush(): Promise<number> {
    await this.running?.catch(() => 0);
    return this.runOnce();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce().then(() => {
        const soon = this.again;
        this.again = false;
        this.schedule(soon ? 0 : this.mail.outbox.pollIntervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async drainDue(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.outbox.claimDue(this.clock.now(), BATCH, this.leaseMs, this.owner);
      for (const message of batch) {
        if (this.stopped) {
          // Hand claimed but unsent mail back at once, instead of leaving it leased until the
          // lease runs out: the next start (or another instance) sends it without delay.
          await this.outbox.markFailed(message.id, 'not sent before shutdown', this.clock.now(), this.clock.now());
          continue;
        }
        if (await this.deliver(message)) delivered += 1;
      }
      // A failed send leaves the server unhealthy for now: stop hammering it until the next poll.
      if (batch.length < BATCH || this.status.consecutiveFailures > 0 || this.stopped) return delivered;
    }
  }

  private async deliver(message: OutboxMessage): Promise<boolean> {
    const job = this.seal.open(message.payload);
    if (!job) {
      // Sealed under another CREDS_KEY (rotated) or altered: it can never be sent.
      await this.outbox.markFailed(message.id, 'payload does not open with the current CREDS_KEY', null, this.clock.now());
      this.logger.error({ outboxId: message.id }, 'mail dropped: its payload does not open with the current CREDS_KEY');
      return false;
    }
    const renewal = this.keepLease(message.id);
    try {
      await this.sender.send(this.renderer.render(job.template, job.to, job.vars));
    } catch (error) {
      await this.failed(message, job.template, error);
      return false;
    } finally {
      clearInterval(renewal);
    }
    await this.outbox.markSent(message.id, this.clock.now());
    this.status.consecutiveFailures = 0;
    this.status.delivered += 1;
    this.status.lastSuccessAt = this.clock.now();
    this.logger.log({ outboxId: message.id, template: job.template, attempts: message.attempts }, 'mail sent');
    return true;
  }

  /** Renews the claim while a send is in flight; a failed renewal only risks a duplicate, never a loss. */
  private keepLease(id: string): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        this.outbox.renewLease(id, this.owner, this.clock.now(), this.leaseMs).catch((error: unknown) => {
          this.logger.warn({ outboxId: id }, `lease renewal failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        });
      },
      Math.max(Math.floor(this.leaseMs / 3), 250),
    );
    timer.unref();
    return timer;
  }

  private async failed(message: OutboxMessage, template: string, error: unknown): Promise<void> {
    const now = this.clock.now();
    const reason = error instanceof MailDeliveryError ? error.message : 'unexpected error while sending';
    const permanent = error instanceof MailDeliveryError && error.permanent;
    const retryAt = permanent ? null : nextAttemptAt(this.mail.outbox, message.attempts, now, Math.random());
    await this.outbox.markFailed(message.id, reason, retryAt, now);
    this.status.consecutiveFailures += 1;
    this.status.failed += 1;
    this.status.lastFailureAt = now;
    this.status.lastError = reason;
    // Logged without recipient or link: the id leads an operator to the stored row (LG-02).
    const context = { outboxId: message.id, template, attempts: message.attempts, retryAt: retryAt?.toISOString() ?? null };
    if (retryAt) this.logger.warn(context, `mail not sent, will retry: ${reason}`);
    else this.logger.error(context, `mail given up after ${message.attempts} attempt(s): ${reason}`);
  }
}
