import { Injectable } from '@nestjs/common';
import { MailConfig } from '../../config';
import { OutboxRepository } from '../../storage';
import { OutboxWorker } from './outbox-worker';

export interface OutboxHealth {
  transport: string;
  pending: number;
  dead: number;
  /** `growing`: mail is waiting and the last attempt failed; `draining`: waiting, sends succeed. */
  backlog: 'empty' | 'draining' | 'growing';
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastError: string | null;
}

/** What readiness shows about mail delivery. */
@Injectable()
export class OutboxMonitor {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly worker: OutboxWorker,
    private readonly mail: MailConfig,
  ) {}

  get enabled(): boolean {
    return this.mail.transport !== null;
  }

  /** Sent and failed delivery attempts of this process's worker since it started. */
  get deliveries(): { delivered: number; failed: number } {
    return { delivered: this.worker.status.delivered, failed: this.worker.status.failed };
  }

  async health(): Promise<OutboxHealth> {
    const counts = await this.outbox.countByStatus();
    const { consecutiveFailures, lastSuccessAt, lastError } = this.worker.status;
    const backlog = counts.pending === 0 ? 'empty' : consecutiveFailures > 0 ? 'growing' : 'draining';
    return {
      transport: this.mail.transport ?? 'none',
      pending: counts.pending,
      dead: counts.dead,
      backlog,
      consecutiveFailures,
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
      lastError,
    };
  }
}
